package fr.publipostage.web;

import fr.publipostage.activation.ActivationFollowUp;
import fr.publipostage.activation.ActivationFollowUp.Line;
import fr.publipostage.activation.ActivationFollowUp.SchoolLine;
import fr.publipostage.activation.ActivationFollowUp.SortKey;
import fr.publipostage.directory.Profile;
import fr.publipostage.security.AccessDenied;
import fr.publipostage.security.StructureAccess;
import fr.publipostage.security.WebSession;
import fr.publipostage.templates.Messages;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * "Suivi des activations" (issue 16 §3): per school, the activation rate by profile and by class as
 * a table (sortable by links: no script) and an SVG chart, exported as CSV, each pending group linked
 * to the console prefilled with its pending accounts; {@code /activations} lists the schools the admin
 * administers (every school for a super admin), one line each. A school's administrators only: a
 * class teacher's view of a school is his classes, which these school-wide figures are not.
 */
public final class ActivationRoutes implements RouteGroup {
    private final Auth auth;
    private final Views views;
    private final ActivationFollowUp followUp;
    private final Messages messages;
    private final ZoneId zone;

    public ActivationRoutes(Auth auth, Views views, ActivationFollowUp followUp, Messages messages, ZoneId zone) {
        this.auth = auth;
        this.views = views;
        this.followUp = followUp;
        this.messages = messages;
        this.zone = zone;
    }

    @Override
    public void register(JavalinDefaultRoutingApi routes) {
        routes.get("/activations", this::schoolsPage);
        routes.get("/activations.csv", this::schoolsCsv);
        routes.get("/activations/{uai}", this::schoolPage);
        routes.get("/activations/{uai}/export.csv", this::schoolCsv);
    }

    /** The schools this admin administers (not those where he is only a class teacher); none: 403. */
    private List<StructureAccess> schools(WebSession web) {
        List<StructureAccess> schools = auth.customisable(web.admin());
        if (schools.isEmpty()) throw AccessDenied.forbidden();
        return schools;
    }

    private List<SchoolLine> schoolLines(Context ctx, WebSession web) {
        List<Long> ids = schools(web).stream().map(a -> a.structure().id()).toList();
        return followUp.schools(ids, SortKey.parse(ctx.queryParam("sort")), "desc".equals(ctx.queryParam("dir")));
    }

    private void schoolsPage(Context ctx) {
        WebSession web = auth.admin(ctx);
        String lang = Lang.of(ctx);
        List<SchoolLine> lines = schoolLines(ctx, web);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SchoolLine s : lines) {
            Map<String, Object> row = row(s.line(), lang, s.lastDistribution());
            row.put("uai", s.uai());
            row.put("href", "/activations/" + s.uai());
            row.put("pendingHref", pendingHref(s.uai(), Map.of()));
            rows.add(row);
        }
        Map<String, Object> values = page(web);
        values.put("rows", rows);
        values.put("superAdmin", web.admin().superAdmin());
        values.put("columns", columns(ctx, lang, "sort", "dir", List.of("name", "total", "pending", "rate", "since"), Map.of()));
        values.put("chart", ActivationChart.svg("chart-schools", text(lang, "followup.chartSchools"),
                lines.stream().map(SchoolLine::line).toList(), l -> l.name(), lang));
        values.put("csvHref", "/activations.csv" + query(ctx, "sort", "dir"));
        views.render(ctx, 200, "activations", values);
    }

    private void schoolsCsv(Context ctx) {
        WebSession web = auth.admin(ctx);
        String lang = Lang.of(ctx);
        List<SchoolLine> lines = schoolLines(ctx, web);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"suivi-activations.csv\"");
        followUp.writeSchoolsCsv(lines, lang, csvTexts(lang), ctx.outputStream());
    }

    private ActivationFollowUp.School school(Context ctx, Auth.Allowed allowed) {
        return followUp.school(allowed.structureId(), SortKey.parse(ctx.queryParam("psort")), "desc".equals(ctx.queryParam("pdir")),
                SortKey.parse(ctx.queryParam("csort")), "desc".equals(ctx.queryParam("cdir")));
    }

    private void schoolPage(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        String lang = Lang.of(ctx);
        String uai = allowed.access().structure().uai();
        ActivationFollowUp.School school = school(ctx, allowed);
        Map<String, Object> values = page(allowed.session());
        values.put("structure", allowed.access().structure());
        values.put("overall", row(school.overall(), lang, school.lastDistribution()));
        values.put("lastDistribution", school.lastDistribution() == null ? "" : date(school.lastDistribution(), lang));
        List<Map<String, Object>> profiles = new ArrayList<>();
        for (Line l : school.profiles()) {
            Map<String, Object> row = row(l, lang, school.lastDistribution());
            row.put("label", profileLabel(lang, l.name()));
            row.put("pendingHref", pendingHref(uai, Map.of("profile", l.name())));
            profiles.add(row);
        }
        List<Map<String, Object>> classes = new ArrayList<>();
        for (Line l : school.classes()) {
            Map<String, Object> row = row(l, lang, school.lastDistribution());
            row.put("label", l.name());
            row.put("level", l.level() == null ? "" : l.level());
            row.put("pendingHref", pendingHref(uai, Map.of("class", l.name())));
            classes.add(row);
        }
        values.put("profiles", profiles);
        values.put("classes", classes);
        List<String> keys = List.of("name", "total", "pending", "rate", "since");
        values.put("profileColumns", columns(ctx, lang, "psort", "pdir", keys, Map.of("csort", "cdir")));
        values.put("classColumns", columns(ctx, lang, "csort", "cdir", keys, Map.of("psort", "pdir")));
        values.put("profileChart", ActivationChart.svg("chart-profiles", text(lang, "followup.chartProfiles"), school.profiles(),
                l -> profileLabel(lang, l.name()), lang));
        values.put("classChart", ActivationChart.svg("chart-classes", text(lang, "followup.chartClasses"), school.classes(),
                Line::name, lang));
        values.put("csvHref", "/activations/" + uai + "/export.csv" + query(ctx, "psort", "pdir", "csort", "cdir"));
        values.put("consoleHref", pendingHref(uai, Map.of()));
        views.render(ctx, 200, "activation-school", values);
    }

    private void schoolCsv(Context ctx) {
        Auth.Allowed allowed = auth.customisation(ctx);
        String lang = Lang.of(ctx);
        ActivationFollowUp.School school = school(ctx, allowed);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"suivi-activations-" + allowed.access().structure().uai() + ".csv\"");
        followUp.writeSchoolCsv(school, lang, csvTexts(lang), ctx.outputStream());
    }

    private Map<String, Object> page(WebSession web) {
        Map<String, Object> values = new HashMap<>();
        values.put("csrf", web.csrfToken());
        values.put("admin", web.admin());
        values.put("customises", auth.customises(web.admin()));
        return values;
    }

    private Map<String, Object> row(Line l, String lang, OffsetDateTime lastDistribution) {
        Map<String, Object> row = new HashMap<>();
        row.put("name", l.name());
        row.put("total", l.total());
        row.put("pending", l.pending());
        row.put("activated", l.activated());
        row.put("rate", l.rateText(lang));
        row.put("since", lastDistribution == null ? "—" : String.valueOf(l.since()));
        row.put("lastDistribution", lastDistribution == null ? text(lang, "followup.never") : date(lastDistribution, lang));
        return row;
    }

    /** The console opened on the still-pending accounts of a group, sorted by class with cover sheets. */
    static String pendingHref(String uai, Map<String, String> filter) {
        StringBuilder q = new StringBuilder("/?structure=").append(encode(uai));
        filter.forEach((k, v) -> q.append('&').append(k).append('=').append(encode(v)));
        return q.append("&activation=pending&sort=class&cover=yes").toString();
    }

    /**
     * The sortable columns' headers: each a link that sorts by it (again: the other way), the current one
     * marked for screen readers ({@code aria-sort}); the other table's order is kept in the link.
     */
    private List<Map<String, Object>> columns(Context ctx, String lang, String sortParam, String dirParam, List<String> keys,
                                              Map<String, String> keep) {
        SortKey current = SortKey.parse(ctx.queryParam(sortParam));
        boolean descending = "desc".equals(ctx.queryParam(dirParam));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String key : keys) {
            boolean active = current.name().equals(key);
            Map<String, String> params = new LinkedHashMap<>();
            keep.forEach((s, d) -> {
                Optional.ofNullable(ctx.queryParam(s)).ifPresent(v -> params.put(s, v));
                Optional.ofNullable(ctx.queryParam(d)).ifPresent(v -> params.put(d, v));
            });
            params.put(sortParam, key);
            params.put(dirParam, active && !descending ? "desc" : "asc");
            StringBuilder href = new StringBuilder("?");
            params.forEach((k, v) -> href.append(href.length() > 1 ? "&" : "").append(k).append('=').append(encode(v)));
            Map<String, Object> c = new HashMap<>();
            c.put("key", key);
            c.put("label", text(lang, "followup.col." + key));
            c.put("href", href.toString());
            c.put("ariaSort", active ? (descending ? "descending" : "ascending") : "none");
            out.add(c);
        }
        return out;
    }

    private static String query(Context ctx, String... names) {
        StringBuilder q = new StringBuilder();
        for (String n : names) {
            String v = ctx.queryParam(n);
            if (v != null) q.append(q.length() == 0 ? "?" : "&").append(n).append('=').append(encode(v));
        }
        return q.toString();
    }

    private ActivationFollowUp.CsvTexts csvTexts(String lang) {
        return new ActivationFollowUp.CsvTexts() {
            @Override
            public String header(String column) {
                return text(lang, "followup.csv." + column);
            }

            @Override
            public String profile(String profile) {
                return profileLabel(lang, profile);
            }

            @Override
            public String group(String group) {
                return text(lang, "followup.group." + group);
            }

            @Override
            public String date(OffsetDateTime at) {
                return at.atZoneSameInstant(zone).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
            }
        };
    }

    private String profileLabel(String lang, String profile) {
        return Profile.parse(profile).map(p -> text(lang, "ui.profile." + p.name())).orElse(profile);
    }

    private String date(OffsetDateTime at, String lang) {
        return at.atZoneSameInstant(zone).format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(Locale.forLanguageTag(lang)));
    }

    private String text(String lang, String key) {
        return messages.get(lang, key);
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
