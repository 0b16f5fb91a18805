/**
 * Media over SRTP in a {@code PeerConnection}, W3C-shaped: {@link io.jrtc.peer.media.RtpTransceiver},
 * {@link io.jrtc.peer.media.RtpSender} (RTP payloads or whole packets in; the stack encrypts and sends),
 * {@link io.jrtc.peer.media.RtpReceiver} (decrypted packets out, with their codec), {@link io.jrtc.peer.media.TrackEvent}.
 * jrtc has no codecs: payloads are opaque, so it receives, forwards, records and injects RTP.
 */
package io.jrtc.peer.media;
