package org.loom.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.loom.protocol.kafka.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the node's topics on a broker, leaving alone those that already exist.
 *
 * <p>An existing topic is never altered: a deployment may have given it more partitions on purpose, and shrinking one
 * is impossible anyway. A topic with fewer partitions than the node's default is reported, since it still works, only
 * with less parallelism.
 */
public final class NodeTopics {

    private static final Logger log = LoggerFactory.getLogger(NodeTopics.class);

    private NodeTopics() {
    }

    /**
     * Makes sure every topic exists, with its partition count and cleanup policy when it is created here.
     *
     * @param bootstrapServers the broker to talk to
     * @param topics           the topics the node needs
     * @param timeout          how long to keep trying while the broker comes up
     * @return the names of the topics created by this call (empty when all existed)
     * @throws NodeStartupException when the broker cannot be reached or refuses to create a topic
     */
    public static List<String> ensureCreated(String bootstrapServers, Collection<Topic> topics, Duration timeout) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "loom-node-topics");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Math.toIntExact(timeout.toMillis()));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(Math.min(timeout.toMillis(), 15_000)));
        try (Admin admin = Admin.create(config)) {
            List<NewTopic> requested = topics.stream().map(NodeTopics::newTopic).toList();
            List<String> created = new ArrayList<>();
            var results = admin.createTopics(requested).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new NodeStartupException("cannot create topic " + entry.getKey() + " on "
                                + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            reportNarrowTopics(admin, topics, timeout);
            return List.copyOf(created);
        } catch (TimeoutException e) {
            throw new NodeStartupException("the Kafka broker at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartupException("interrupted while creating topics on " + bootstrapServers, e);
        }
    }

    private static NewTopic newTopic(Topic topic) {
        // The replication factor is left to the broker: one on the embedded broker, the cluster's default elsewhere.
        return new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())
                .configs(topic.creationConfigs());
    }

    private static void reportNarrowTopics(Admin admin, Collection<Topic> topics, Duration timeout)
            throws InterruptedException, TimeoutException {
        Set<String> names = Set.copyOf(topics.stream().map(Topic::name).toList());
        Map<String, TopicDescription> descriptions = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (descriptions == null) {
            try {
                descriptions = admin.describeTopics(names).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // A topic just created may not be in the broker's metadata yet; that passes within moments.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new NodeStartupException("cannot describe the node's topics: " + e.getCause().getMessage(),
                            e.getCause());
                }
                Thread.sleep(100);
            }
        }
        for (Topic topic : topics) {
            TopicDescription description = descriptions.get(topic.name());
            if (description != null && description.partitions().size() < topic.partitions()) {
                log.warn("Topic {} has {} partitions, fewer than the {} the node creates it with",
                        topic.name(), description.partitions().size(), topic.partitions());
            }
        }
    }
}
