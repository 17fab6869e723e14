package fr.publipostage.web;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * axe-core (the {@code axe.min.js} of Deque's Maven artifact, test scope only) run inside the page of a
 * browser test: {@link #check} records every violation of the page state in
 * {@code target/axe-report.txt} and returns the serious and critical ones, which the tests require to be
 * none. The script is evaluated through the DevTools protocol, so the page's CSP ({@code script-src
 * 'self'}) stays as users get it. Frames are not entered: the only ones are sandboxed e-mail previews (no
 * script may run there), whose frame element itself (its title) is still checked.
 */
final class Axe {
    private static final Path REPORT = Paths.get("target", "axe-report.txt");
    private static final String SCRIPT = load();

    private Axe() {
    }

    private static String load() {
        try (InputStream in = Axe.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            if (in == null) throw new IllegalStateException("axe.min.js not on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The serious and critical violations of the page as it is now ("rule: target…" lines). */
    @SuppressWarnings("unchecked")
    static List<String> check(Page page, String state) {
        if (!Boolean.TRUE.equals(page.evaluate("() => typeof window.axe !== 'undefined'"))) {
            page.evaluate("(src) => { (0, eval)(src); }", SCRIPT);
        }
        List<Map<String, Object>> violations = (List<Map<String, Object>>) page.evaluate(
                "async () => (await axe.run(document, { resultTypes: ['violations'], iframes: false })).violations.map((v) => ({"
                        + " id: v.id, impact: v.impact, help: v.help,"
                        + " targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ') }))");
        List<String> serious = new ArrayList<>();
        StringBuilder report = new StringBuilder("== " + state + " (" + page.url() + "): " + violations.size() + " violation(s)\n");
        for (Map<String, Object> v : violations) {
            String line = v.get("impact") + " " + v.get("id") + ": " + v.get("help") + " — " + v.get("targets");
            report.append("  ").append(line).append('\n');
            if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) serious.add(state + ": " + line);
        }
        // axe leaves disabled controls out of its contrast rule; issue 13 wants them readable too.
        for (String faint : unreadableDisabledButtons(page)) {
            String line = "serious disabled-contrast: a disabled button's text below 4.5:1 — " + faint;
            report.append("  ").append(line).append('\n');
            serious.add(state + ": " + line);
        }
        try {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return serious;
    }

    /**
     * Visible disabled buttons whose text has less than WCAG's 4.5:1 contrast with the background
     * behind it (the first opaque one among the button and its ancestors): "id or text ratio:1".
     */
    @SuppressWarnings("unchecked")
    static List<String> unreadableDisabledButtons(Page page) {
        return (List<String>) page.evaluate("() => {"
                + " const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);"
                + " const lum = (c) => { const [r, g, b] = rgb(c).slice(0, 3).map((v) => { v /= 255;"
                + "   return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });"
                + "   return 0.2126 * r + 0.7152 * g + 0.0722 * b; };"
                + " const opaque = (c) => { const v = rgb(c); return v.length === 3 || (v.length === 4 && v[3] >= 0.99); };"
                + " const behind = (e) => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;"
                + "   if (opaque(c)) return c; } return 'rgb(255, 255, 255)'; };"
                + " return [...document.querySelectorAll('button:disabled')]"
                + "   .filter((b) => b.getClientRects().length > 0 && b.textContent.trim() !== '')"
                + "   .map((b) => { const a = lum(getComputedStyle(b).color), c = lum(behind(b));"
                + "     return [b.id || b.textContent.trim(), (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05)]; })"
                + "   .filter(([, ratio]) => ratio < 4.5)"
                + "   .map(([name, ratio]) => name + ' ' + ratio.toFixed(2) + ':1'); }");
    }
}
