package fr.publipostage.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line words: positional arguments and {@code --name value} options (repeatable).
 * Options listed as switches take no value.
 */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();

    public Args(List<String> words, Set<String> switches) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (switches.contains(name)) {
                    value = "true";
                } else {
                    if (i + 1 >= words.size()) throw CliError.of("cli.error.optionNeedsValue", name);
                    value = words.get(++i);
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                positional.add(w);
            }
        }
    }

    public List<String> positional() {
        return positional;
    }

    public Map<String, List<String>> options() {
        return options;
    }

    public String option(String name) {
        List<String> v = options.get(name);
        if (v == null) return null;
        if (v.size() > 1) throw CliError.of("cli.error.optionTwice", name);
        return v.get(0);
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** Refuses options this command does not know, so a typo is not silently ignored. */
    public void allowOnly(Set<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) throw CliError.of("cli.error.unknownOption", name);
        }
    }

    public String require(String name) {
        String v = option(name);
        if (v == null || v.isBlank()) throw CliError.of("cli.error.optionRequired", name);
        return v;
    }
}
