package org.loom.node.fuzz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The routes a running node serves, read from the request mappings of every service context rather than written down:
 * a route added to a controller shows up here without anyone remembering to list it.
 */
final class MappedRoutes {

    /** What a mapping with no method condition answers to. */
    static final String ANY_METHOD = "ANY";

    /**
     * One method and path pattern, with the services that map it. The gateway is the one to send it to when it maps
     * the route; a route only an internal service maps is reached on that service's own port.
     */
    record MappedRoute(String method, String pattern, List<String> services) {

        String key() {
            return method + " " + pattern;
        }
    }

    private MappedRoutes() {
    }

    /** Every route of every context, sorted by pattern then method; the first context is the gateway. */
    static List<MappedRoute> of(Map<String, ApplicationContext> contexts) {
        Map<String, List<String>> servicesByKey = new LinkedHashMap<>();
        Map<String, String[]> parts = new LinkedHashMap<>();
        contexts.forEach((service, context) -> {
            for (RequestMappingInfoHandlerMapping mapping
                    : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
                for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                    for (String method : methods(info)) {
                        for (String pattern : info.getPatternValues()) {
                            String key = method + " " + pattern;
                            parts.putIfAbsent(key, new String[] {method, pattern});
                            List<String> services = servicesByKey.computeIfAbsent(key, k -> new ArrayList<>());
                            if (!services.contains(service)) {
                                services.add(service);
                            }
                        }
                    }
                }
            }
        });
        List<MappedRoute> routes = new ArrayList<>();
        servicesByKey.forEach((key, services) ->
                routes.add(new MappedRoute(parts.get(key)[0], parts.get(key)[1], List.copyOf(services))));
        routes.sort(Comparator.comparing(MappedRoute::pattern).thenComparing(MappedRoute::method));
        return routes;
    }

    private static Set<String> methods(RequestMappingInfo info) {
        Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
        if (declared.isEmpty()) {
            return Set.of(ANY_METHOD);
        }
        Set<String> names = new TreeSet<>();
        declared.forEach(method -> names.add(method.name()));
        return names;
    }
}
