package io.jrtc.mesh.internal.edge;

import io.jrtc.mesh.AgentId;

/**
 * Signaling ids of mesh agents: the agent id in hex (32 lower-case digits), optionally after a display name and a dot
 * ({@code name.hex}). Other ids (browsers, echo agents on the same server) are not mesh agents.
 */
public final class SignalingIds {

    private SignalingIds() {
    }

    /** The agent id a signaling id names, or null when it is not a mesh agent's id. */
    public static AgentId agentOf(String signalingId) {
        if (signalingId == null) {
            return null;
        }
        int dot = signalingId.lastIndexOf('.');
        String hex = dot < 0 ? signalingId : signalingId.substring(dot + 1);
        if (hex.length() != 2 * AgentId.LENGTH) {
            return null;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return AgentId.parse(hex);
    }
}
