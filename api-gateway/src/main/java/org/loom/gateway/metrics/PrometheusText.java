package org.loom.gateway.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges Prometheus text expositions (format 0.0.4) from several services into one, adding a {@code service} label to
 * every sample. Families with the same name (every service has {@code jvm_memory_used_bytes}) are written once, with
 * their {@code # HELP} and {@code # TYPE} lines first and every service's samples beneath, as the format requires.
 */
final class PrometheusText {

    /** One service's exposition. */
    record Source(String service, String text) {
    }

    private static final class Family {
        String help;
        String type;
        final List<String> samples = new ArrayList<>();
    }

    private PrometheusText() {
    }

    static String merge(List<Source> sources) {
        Map<String, Family> families = new LinkedHashMap<>();
        for (Source source : sources) {
            String current = null;
            for (String raw : source.text().split("\n")) {
                String line = raw.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    String[] parts = line.split("\\s+", 4);
                    if (parts.length >= 3 && ("HELP".equals(parts[1]) || "TYPE".equals(parts[1]))) {
                        current = parts[2];
                        Family family = families.computeIfAbsent(current, name -> new Family());
                        String value = parts.length == 4 ? parts[3] : "";
                        if ("HELP".equals(parts[1]) && family.help == null) {
                            family.help = value;
                        } else if ("TYPE".equals(parts[1]) && family.type == null) {
                            family.type = value;
                        }
                    }
                    continue;
                }
                String metric = metricName(line);
                String familyName = current != null && metric.startsWith(current) ? current : metric;
                families.computeIfAbsent(familyName, name -> new Family()).samples
                        .add(withServiceLabel(line, metric, source.service()));
            }
        }
        StringBuilder out = new StringBuilder();
        families.forEach((name, family) -> {
            if (family.samples.isEmpty()) {
                return;
            }
            if (family.help != null) {
                out.append("# HELP ").append(name).append(' ').append(family.help).append('\n');
            }
            if (family.type != null) {
                out.append("# TYPE ").append(name).append(' ').append(family.type).append('\n');
            }
            family.samples.forEach(sample -> out.append(sample).append('\n'));
        });
        return out.toString();
    }

    private static String metricName(String sample) {
        int end = 0;
        while (end < sample.length() && sample.charAt(end) != '{' && !Character.isWhitespace(sample.charAt(end))) {
            end++;
        }
        return sample.substring(0, end);
    }

    private static String withServiceLabel(String sample, String metric, String service) {
        String label = "service=\"" + escape(service) + "\"";
        String rest = sample.substring(metric.length());
        if (rest.startsWith("{}")) {
            return metric + "{" + label + "}" + rest.substring(2);
        }
        if (rest.startsWith("{")) {
            return metric + "{" + label + "," + rest.substring(1);
        }
        return metric + "{" + label + "}" + rest;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
