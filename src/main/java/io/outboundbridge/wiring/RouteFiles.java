package io.outboundbridge.wiring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks route files before Camel loads them: each {@code *.camel.yaml} against the YAML DSL schema that ships
 * in camel-yaml-dsl, and our layout rule (one route per file, its id the file's stem).
 */
public final class RouteFiles {

    private static final String SCHEMA = "/schema/camelYamlDsl.json";
    private static final String SUFFIX = ".camel.yaml";

    private RouteFiles() {
    }

    /** Every problem of every route file in {@code dir}, each naming the file; empty when all are fine. */
    public static List<String> check(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("routes folder not found: " + dir.toAbsolutePath());
        }
        JsonSchema schema = schema();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> routeFiles = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
            if (routeFiles.isEmpty()) {
                problems.add(dir + ": no *" + SUFFIX + " files");
            }
            for (Path file : routeFiles) {
                String name = file.getFileName().toString();
                JsonNode doc;
                try {
                    doc = yaml.readTree(file.toFile());
                } catch (IOException e) {
                    problems.add(name + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
                    continue;
                }
                for (ValidationMessage m : schema.validate(doc)) {
                    if (!isPlaceholderForTypedValue(m)) {
                        problems.add(name + ": " + m.getMessage());
                    }
                }
                problems.addAll(layout(name, doc));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems;
    }

    /**
     * The schema types some options as number or boolean only, but Camel resolves a {@code {{placeholder}}}
     * before converting the value: a placeholder string there is fine.
     */
    private static boolean isPlaceholderForTypedValue(ValidationMessage m) {
        JsonNode value = m.getInstanceNode();
        return "type".equals(m.getType()) && value != null && value.isTextual() && value.asText().contains("{{");
    }

    private static List<String> layout(String name, JsonNode doc) {
        String stem = name.substring(0, name.length() - SUFFIX.length());
        List<String> ids = new ArrayList<>();
        if (doc != null && doc.isArray()) {
            for (JsonNode entry : doc) {
                JsonNode route = entry.get("route");
                if (route != null) {
                    ids.add(route.path("id").asText(""));
                }
            }
        }
        if (ids.size() > 1) {
            return List.of(name + ": " + ids.size() + " routes in one file (one route per file)");
        }
        if (ids.size() == 1 && !ids.get(0).equals(stem)) {
            return List.of(name + ": route id '" + ids.get(0) + "' must be the file's stem '" + stem + "'");
        }
        return List.of();
    }

    private static JsonSchema schema() {
        try (InputStream in = RouteFiles.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("YAML DSL schema " + SCHEMA + " not on the classpath (camel-yaml-dsl)");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
