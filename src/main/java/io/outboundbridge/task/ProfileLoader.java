package io.outboundbridge.task;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and checks the profiles of {@code config/profiles/*.properties} (UTF-8) at start-up, so a wrong profile
 * is reported, naming the profile, the key and the rule, before any file is read. The vendor's rules are those
 * of {@link VendorRules#checkTaskFields}, applied to the request the profile makes.
 */
public final class ProfileLoader {

    public static final List<String> KEYS = List.of("taskType", "taskExecStartDate", "taskExecEndDate",
            "taskExecTimes", "skillSetId", "outboundNumberGroupId", "strategyDisplaySwitch", "sendNumberStrategy",
            "multiplyPower", "abandonmentRate", "maxRingingDuration", "acw", "taskDesc", "phoneGroup.name",
            "phoneGroup.identify", "phoneGroup.autoOutboundSwitch", "phoneGroup.autoOutboundInterval",
            "phoneGroup.autoOutboundTimes", "taskNameTemplate");

    private static final String SUFFIX = ".properties";
    /** The file base used to check the task name a template makes. */
    private static final String SAMPLE_FILE_BASE = "list";

    private ProfileLoader() {
    }

    /**
     * Every {@code *.properties} of the folder, by profile name (the file stem), sorted by name.
     *
     * @throws ProfileException listing every problem of every profile, or naming the folder when it is missing
     *                          or holds no profile
     */
    public static Map<String, Profile> loadAll(Path profilesDir) {
        if (!Files.isDirectory(profilesDir)) {
            throw new ProfileException("profiles folder " + profilesDir + " does not exist or is not a folder");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(profilesDir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new ProfileException("profiles folder " + profilesDir + " cannot be read: " + e);
        }
        if (files.isEmpty()) {
            throw new ProfileException("profiles folder " + profilesDir + " holds no profile (*" + SUFFIX + ")");
        }
        Map<String, Profile> profiles = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.length() - SUFFIX.length());
            try {
                profiles.put(name, load(name, read(name, file)));
            } catch (ProfileException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ProfileException(problems);
        }
        return Collections.unmodifiableMap(profiles);
    }

    /**
     * One profile from its properties; a key left empty counts as absent.
     *
     * @throws ProfileException listing every problem
     */
    public static Profile load(String name, Properties props) {
        Parser in = new Parser(name, props);
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            if (!KEYS.contains(key)) {
                in.problem(key, "unknown key (known keys: " + String.join(", ", KEYS) + ")");
            }
        }
        LocalDate today = LocalDate.now();
        String template = in.text("taskNameTemplate");
        if (template != null && TaskNames.unknownPlaceholder(template) != null) {
            in.problem("taskNameTemplate", "unknown placeholder " + TaskNames.unknownPlaceholder(template)
                    + " (use " + TaskNames.PROFILE + " and " + TaskNames.FILE_BASE + ")");
        }
        Integer maxRinging = in.integer("maxRingingDuration");
        Integer acw = in.integer("acw");
        Integer autoSwitch = in.integer("phoneGroup.autoOutboundSwitch");
        PhoneGroup group = new PhoneGroup(in.text("phoneGroup.name"), in.text("phoneGroup.identify"),
                autoSwitch == null ? 0 : autoSwitch, in.integer("phoneGroup.autoOutboundInterval"),
                in.integer("phoneGroup.autoOutboundTimes"));
        Profile profile = new Profile(name, in.integer("taskType"), in.date("taskExecStartDate", today),
                in.date("taskExecEndDate", today), in.windows("taskExecTimes"), in.text("taskDesc"),
                in.text("skillSetId"), in.text("outboundNumberGroupId"), in.bool("strategyDisplaySwitch"),
                in.integer("sendNumberStrategy"), in.integer("multiplyPower"), in.integer("abandonmentRate"),
                maxRinging == null ? Profile.DEFAULT_MAX_RINGING_DURATION : maxRinging,
                acw == null ? Profile.DEFAULT_ACW : acw, group, template);

        String sampleName = TaskNames.fit(TaskNames.fromTemplate(profile.taskNameTemplate(), name, SAMPLE_FILE_BASE));
        for (String problem : VendorRules.checkTaskFields(profile.createRequest(sampleName, List.of(), today))) {
            in.vendorProblem(problem);
        }
        if (!in.problems.isEmpty()) {
            throw new ProfileException(in.problems);
        }
        return profile;
    }

    private static Properties read(String name, Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // editors on Windows may save a BOM; it would otherwise glue itself to the first key
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            Properties props = new Properties();
            props.load(new StringReader(text));
            return props;
        } catch (IOException e) {
            throw new ProfileException("profile '" + name + "': file " + file + " cannot be read as UTF-8 properties: "
                    + e);
        }
    }

    /** Parses values key by key, collecting problems; a value that cannot be parsed is null. */
    private static final class Parser {
        private final String profile;
        private final Properties props;
        private final List<String> problems = new ArrayList<>();
        private final Set<String> badKeys = new HashSet<>();

        Parser(String profile, Properties props) {
            this.profile = profile;
            this.props = props;
        }

        void problem(String key, String rule) {
            badKeys.add(key);
            problems.add("profile '" + profile + "': key '" + key + "': " + rule);
        }

        /** Adds a {@link VendorRules} message under the key it is about, unless that key is already reported. */
        void vendorProblem(String message) {
            int colon = message.indexOf(": ");
            String path = message.substring(0, colon);
            String rule = message.substring(colon + 2);
            String key = path;
            if (path.equals("taskName")) {
                key = "taskNameTemplate";
                rule = rule + " (for the sample file '" + SAMPLE_FILE_BASE + "')";
            } else if (path.startsWith("outboundPhoneGroups[0].")) {
                key = "phoneGroup." + path.substring("outboundPhoneGroups[0].".length());
            } else if (path.startsWith("taskExecTimes[")) {
                int close = path.indexOf(']');
                int window = Integer.parseInt(path.substring("taskExecTimes[".length(), close)) + 1;
                String end = path.substring(close + 1);
                key = "taskExecTimes";
                rule = "window " + window + (end.endsWith("StartStr") ? " start" : end.endsWith("EndStr") ? " end" : "")
                        + ": " + rule;
            }
            if (!badKeys.contains(key)) {
                problems.add("profile '" + profile + "': key '" + key + "': " + rule);
            }
        }

        String text(String key) {
            String v = props.getProperty(key);
            return v == null || v.isBlank() ? null : v.strip();
        }

        Integer integer(String key) {
            String v = text(key);
            if (v == null) {
                return null;
            }
            try {
                return Integer.valueOf(v);
            } catch (NumberFormatException e) {
                problem(key, "not a whole number (found '" + v + "')");
                return null;
            }
        }

        /** Absent means off, the vendor's default. */
        boolean bool(String key) {
            String v = text(key);
            if (v == null || v.equalsIgnoreCase("false")) {
                return false;
            }
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            problem(key, "not true/false (found '" + v + "')");
            return false;
        }

        /** The expression as written (resolved per request), or null when it cannot be resolved. */
        String date(String key, LocalDate today) {
            String v = text(key);
            try {
                Profile.resolveDate(v, today);
                return v;
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage());
                return null;
            }
        }

        /** {@code 09:00:00-12:00:00,14:00:00-18:00:00}; times themselves are checked by {@link VendorRules}. */
        List<ExecTime> windows(String key) {
            String v = text(key);
            if (v == null) {
                return List.of();
            }
            List<ExecTime> windows = new ArrayList<>();
            String[] parts = v.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                String[] ends = parts[i].split("-", -1);
                if (ends.length != 2) {
                    problem(key, "window " + (i + 1) + " must be HH:mm:ss-HH:mm:ss (found '" + parts[i].strip() + "')");
                } else {
                    windows.add(new ExecTime(ends[0].strip(), ends[1].strip()));
                }
            }
            return windows;
        }
    }
}
