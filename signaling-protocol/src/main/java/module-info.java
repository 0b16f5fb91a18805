/**
 * The jrtc signaling protocol (jrtc-signaling/1, revision 5): one record per message type and their JSON form,
 * shared by the signaling client and server.
 */
module io.jrtc.signaling.protocol {
    requires transitive io.jrtc.common;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive com.fasterxml.jackson.annotation;

    exports io.jrtc.signaling.protocol;
    opens io.jrtc.signaling.protocol to com.fasterxml.jackson.databind;
}
