package org.loom.envelope.search;

import java.util.Map;
import org.loom.envelope.read.Actors;
import org.loom.service.web.JsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/search}: full-text and structured search over what the caller may read. */
@RestController
class SearchController {

    private final SearchIndex index;

    SearchController(SearchIndex index) {
        this.index = index;
    }

    @GetMapping("/v1/search")
    ResponseEntity<byte[]> search(@RequestHeader(name = Actors.HEADER, required = false) String actorHeader,
            @RequestParam Map<String, String> parameters) {
        String actor = Actors.require(actorHeader);
        return JsonResponses.ok(index.search(actor, SearchQuery.of(parameters)).toJson());
    }
}
