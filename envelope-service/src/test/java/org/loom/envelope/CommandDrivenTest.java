package org.loom.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.loom.protocol.kafka.CommandResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * A test that stores envelopes through the command topic and then calls the service's HTTP routes, as the gateway
 * does. Shares the application context of {@link RunningEnvelopeService}.
 */
public abstract class CommandDrivenTest extends RunningEnvelopeService {

    @LocalServerPort
    private int port;

    @Autowired
    private KafkaTemplate<String, String> kafka;

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    private final HttpClient http = HttpClient.newHttpClient();
    protected final TestEnvelopes envelopes = new TestEnvelopes();
    private CommandChannel channel;

    @BeforeEach
    void openChannel() {
        channel = new CommandChannel(kafka, bootstrapServers);
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    /** Submits the envelope as {@code actor} and checks that it was stored. */
    protected CommandResult submit(ObjectNode envelope, String actor) {
        CommandResult reply = channel.submit(CommandChannel.commandFor(envelope, actor));
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(201);
        return reply;
    }

    /** The command topic, for submissions a test expects to be refused or sends with its own command. */
    protected CommandChannel channel() {
        return channel;
    }

    /** Calls a route as the gateway would for {@code actor} (none when null), with an optional body. */
    protected HttpResponse<String> send(String method, String path, String actor, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (actor != null) {
            request.header("X-LOOM-Actor", actor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
