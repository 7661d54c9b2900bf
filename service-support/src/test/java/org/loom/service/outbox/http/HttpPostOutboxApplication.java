package org.loom.service.outbox.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.loom.protocol.json.LoomJson;
import org.loom.service.outbox.AttemptOutcome;
import org.loom.service.outbox.Outbox;
import org.loom.service.outbox.OutboxHandler;
import org.loom.service.outbox.OutboxItem;
import org.loom.service.outbox.Outboxes;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The smallest service with an outbox: items are JSON POSTs to the URL in their {@code url} field. It lets the
 * outbox contract run in this module with a real HTTP destination, before any service's own kind exists.
 */
@SpringBootApplication
public class HttpPostOutboxApplication {

    static final String ITEM_HEADER = "x-outbox-item";

    @Bean
    Outbox httpPostOutbox(Outboxes outboxes) {
        return outboxes.create("webhook", "loom.test.outbox", new HttpPost());
    }

    static final class HttpPost implements OutboxHandler {

        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        @Override
        public AttemptOutcome attempt(OutboxItem item, Duration timeout) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(item.field("url")))
                    .timeout(timeout)
                    .header("content-type", "application/json")
                    .header(ITEM_HEADER, item.id())
                    .POST(HttpRequest.BodyPublishers.ofString(LoomJson.write(item.fields())))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return new AttemptOutcome.Delivered(response.statusCode(), null);
            }
            return new AttemptOutcome.Retry("response " + response.statusCode(), response.statusCode());
        }
    }
}
