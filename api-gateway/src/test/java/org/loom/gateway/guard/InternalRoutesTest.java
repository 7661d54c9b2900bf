package org.loom.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.loom.gateway.web.GuardedGateway;
import org.loom.gateway.web.RawHttp;
import tools.jackson.databind.JsonNode;

/** The operational routes every service maps under {@code /internal} are not served on the gateway's public port. */
class InternalRoutesTest extends GuardedGateway {

    private RawHttp.Response get(String target) throws Exception {
        return RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: "
                + freshClient() + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theGatewaysOwnExportStatusAndImportAreUnknownRoutesToClients() throws Exception {
        for (String target : new String[] {"/internal/persistence/export", "/internal/persistence/schema",
            "/internal/status", "/%69nternal/status", "/internal/./persistence/export", "//internal/status"}) {
            RawHttp.Response response = get(target);

            assertThat(response.status()).as(target).isEqualTo(404);
            JsonNode error = error(response.body());
            assertThat(error.get("code").asString()).isEqualTo("ENVELOPE_NOT_FOUND");
        }
        RawHttp.Response imported = RawHttp.exchange(port, "POST /internal/persistence/import HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nX-Forwarded-For: " + freshClient() + "\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}");
        assertThat(imported.status()).isEqualTo(404);
    }

    @Test
    void pathsThatOnlyStartLikeInternalAreRoutedAsUsual() throws Exception {
        RawHttp.Response response = get("/internals");

        assertThat(response.status()).isEqualTo(404);
        assertThat(error(response.body()).get("details").get("path").asString()).isEqualTo("/internals");
        assertThat(get("/health").status()).isEqualTo(200);
    }
}
