/**
 * jrtc's examples. The module reads only jrtc's exported packages, so the compiler refuses any use of an
 * {@code internal} package: what compiles here is what an application can write.
 */
module io.jrtc.examples {
    requires transitive io.jrtc.peer;
    requires io.jrtc.signaling.client;
    requires transitive io.jrtc.mesh;
    requires org.slf4j;

    exports io.jrtc.examples;
}
