package org.loom.email.relay;

import java.util.List;

/**
 * What the relay reports for an accepted email.
 *
 * @param providerMessageId the Message-ID the mail went out with, without brackets
 * @param accepted          recipients the server accepted
 * @param rejected          recipients the server refused while accepting others
 * @param response          the server's last reply line, or a note for the stream mode
 * @param relayMode         {@code smtp} or {@code stream}
 */
public record RelayResult(String providerMessageId, List<String> accepted, List<String> rejected, String response,
        String relayMode) {

    public RelayResult {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }
}
