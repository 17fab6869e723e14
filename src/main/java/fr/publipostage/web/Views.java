package fr.publipostage.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.templates.Messages;
import io.javalin.http.Context;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

/**
 * Server-rendered pages: Velocity views in {@code src/main/resources/web/views/}, every visible text
 * from the i18n bundles ({@code $t.get('key')}, HTML-escaped). The scripts get their texts as JSON
 * in the page ({@link #scriptTexts}), so no text is written in a view or a script.
 */
public final class Views {
    /** Key prefixes the browser scripts may use. */
    public static final List<String> SCRIPT_PREFIXES = List.of("ui.", "check.", "preset.", "card.", "auth.", "selection.", "csv.", "mailweb.", "printweb.", "editorweb.", "importweb.", "import.field.");

    private final VelocityEngine engine;
    private final Messages messages;
    private final ObjectMapper json;

    public Views(Messages messages, ObjectMapper json) {
        this.messages = messages;
        this.json = json;
        Properties p = new Properties();
        p.setProperty("resource.loaders", "class");
        p.setProperty("resource.loader.class.class", "org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader");
        p.setProperty("resource.loader.class.cache", "true");
        p.setProperty("runtime.strict_mode.enable", "true");
        p.setProperty("resource.default_encoding", "UTF-8");
        this.engine = new VelocityEngine(p);
        this.engine.init();
    }

    /** One text in the admin's language (plain, not escaped: views escape it with {@code $h.e}). */
    public String text(String language, String key, Object... args) {
        return messages.get(language, key, args);
    }

    /** Texts of one language for a view: {@code $t.get('key', args…)} gives escaped HTML. */
    public final class Texts {
        private final String language;

        Texts(String language) {
            this.language = language;
        }

        public String get(String key) {
            return Html.escape(messages.get(language, key));
        }

        public String get(String key, Object arg) {
            return Html.escape(messages.get(language, key, arg));
        }

        public String get(String key, Object arg0, Object arg1) {
            return Html.escape(messages.get(language, key, arg0, arg1));
        }

        public String get(String key, Object arg0, Object arg1, Object arg2) {
            return Html.escape(messages.get(language, key, arg0, arg1, arg2));
        }
    }

    /** Escaping for values that are not texts (logins, tokens…): {@code $h.e($value)}. */
    public static final class Escaper {
        public String e(Object value) {
            return value == null ? "" : Html.escape(String.valueOf(value));
        }
    }

    /** Renders {@code web/views/NAME.vm} in the request's language, with the page's own values. */
    public void render(Context ctx, int status, String name, Map<String, Object> values) {
        String lang = Lang.of(ctx);
        VelocityContext vc = new VelocityContext();
        vc.put("t", new Texts(lang));
        vc.put("h", new Escaper());
        vc.put("lang", lang);
        vc.put("otherLang", lang.equals("fr") ? "en" : "fr");
        for (Map.Entry<String, Object> e : values.entrySet()) vc.put(e.getKey(), e.getValue());
        Template template = engine.getTemplate("web/views/" + name + ".vm", "UTF-8");
        StringWriter out = new StringWriter();
        template.merge(vc, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** The texts the scripts need, as JSON safe inside a {@code <script type="application/json">}. */
    public String scriptTexts(String language) {
        Map<String, String> texts = new TreeMap<>();
        for (String key : messages.keys(language)) {
            if (SCRIPT_PREFIXES.stream().anyMatch(key::startsWith)) texts.put(key, messages.get(language, key));
        }
        try {
            return json.writeValueAsString(texts).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
