package org.loom.protocol.kafka;

import org.loom.protocol.error.ErrorCode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The decision on a command, sent back to the gateway instance waiting to answer the HTTP request. Produced by the
 * envelope-service on {@link Topics#ENVELOPE_COMMAND_RESULTS}, keyed by correlation id and written to the partition
 * named in the command's {@link LoomHeaders#REPLY_PARTITION} header; consumed by the api-gateway, which answers with
 * {@code status} and {@code body} as they are.
 *
 * @param messageId     unique per record
 * @param correlationId the correlation id of the command this answers
 * @param status        the HTTP status of the answer
 * @param body          the HTTP body of the answer: the created resource, or the protocol error body
 * @param errorCode     the protocol error code when the command was refused ({@code status} is then that code's
 *                      status); null when it succeeded
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CommandResult(String messageId, String correlationId, int status, JsonNode body, ErrorCode errorCode)
        implements LoomMessage {

    public CommandResult {
        Checks.messageId(messageId);
        Checks.text(correlationId, "correlation_id");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        body = Checks.present(body, "body").deepCopy();
        if (errorCode == null && status >= 400) {
            throw new IllegalArgumentException("a refusal (status " + status + ") needs an error_code");
        }
        if (errorCode != null && errorCode.httpStatus() != status) {
            throw new IllegalArgumentException(
                    "error_code " + errorCode + " is answered with " + errorCode.httpStatus() + ", not " + status);
        }
    }

    /** A command that succeeded with the given status (2xx or 3xx). */
    public static CommandResult success(String messageId, String correlationId, int status, JsonNode body) {
        return new CommandResult(messageId, correlationId, status, body, null);
    }

    /** A command refused with a protocol error; the status is the one the error registry gives the code. */
    public static CommandResult refusal(String messageId, String correlationId, ErrorCode errorCode, JsonNode body) {
        return new CommandResult(messageId, correlationId, Checks.present(errorCode, "error_code").httpStatus(),
                body, errorCode);
    }

    /** True when the command was refused. */
    public boolean refused() {
        return errorCode != null;
    }
}
