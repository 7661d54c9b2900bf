package org.loom.gateway.envelope;

import java.util.List;
import org.loom.gateway.idempotency.IdempotencyStore;
import org.loom.gateway.web.ReadinessCheck;
import org.loom.service.command.CommandClient;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This gateway instance's end of the request-reply exchange with the envelope-service, on the shared
 * {@link CommandClient}.
 *
 * <p>Every instance joins one consumer group on the results topic, so each holds some of its partitions; a command
 * names one of this instance's partitions and its result comes back here, to the request waiting for it. A result
 * nobody here waits for (its request timed out, or the partition moved here from another instance) still completes
 * the idempotency record of its request, so the client's retry gets the original answer.
 */
@Component
public class ReplyConsumer implements SmartLifecycle, ReadinessCheck {

    private final CommandClient client;

    public ReplyConsumer(KafkaProperties kafka, EnvelopeSettings settings, IdempotencyStore idempotency) {
        this.client = new CommandClient(kafka, settings.replyGroupId(), EnvelopeSubmitter.ORIGIN,
                result -> idempotency.completeByCorrelation(result.correlationId(), CommandOutcomes.stored(result)));
    }

    /** The client commands are sent and answered through. */
    public CommandClient client() {
        return client;
    }

    /** Named {@code reply_partitions} in the {@code /ready} body. */
    @Override
    public String name() {
        return "reply_partitions";
    }

    /** True once this instance holds at least one partition of the results topic, so commands can name it. */
    @Override
    public boolean isReady() {
        return client.isReady();
    }

    /** The partitions of the results topic this instance currently holds. */
    public List<Integer> assignedPartitions() {
        return client.assignedPartitions();
    }

    @Override
    public void start() {
        client.start();
    }

    @Override
    public void stop() {
        client.stop();
    }

    @Override
    public boolean isRunning() {
        return client.isRunning();
    }
}
