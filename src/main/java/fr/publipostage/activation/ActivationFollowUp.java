package fr.publipostage.activation;

import fr.publipostage.activation.ActivationMapper.Figures;
import fr.publipostage.activation.ActivationMapper.SchoolRow;
import fr.publipostage.directory.Profile;
import fr.publipostage.selection.ExcelCsv;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * "Suivi des activations" (issue 16 §3): how many of a school's accounts are activated, by profile and
 * by class, and how many since the school last distributed (letters printed or a campaign started);
 * the same one line per school for an admin of several (the super admin: every school). Figures only:
 * no login, no code leaves here. The activation dates are the database's (V101, V102), whatever wrote
 * the accounts.
 */
public final class ActivationFollowUp {
    private final SqlSessionFactory sessions;

    public ActivationFollowUp(SqlSessionFactory sessions) {
        this.sessions = sessions;
    }

    /** What a table is sorted by; name sorts classes by level then name, profiles in their usual order. */
    public enum SortKey {
        name, total, pending, rate, since;

        public static SortKey parse(String value) {
            if (value == null) return name;
            for (SortKey k : values()) if (k.name().equals(value)) return k;
            return name;
        }
    }

    /** One line of a table: a profile, a class, or a school. */
    public record Line(String key, String name, String level, int total, int pending, int since) {
        public int activated() {
            return total - pending;
        }

        /** Share of activated accounts, 0–100 with one decimal; 0 when the group is empty. */
        public double rate() {
            return total == 0 ? 0 : Math.round(1000.0 * activated() / total) / 10.0;
        }

        /** The rate as the page and the CSV write it (one decimal, comma in French). */
        public String rateText(String language) {
            return String.format(Locale.forLanguageTag(language), "%.1f", rate());
        }
    }

    /** A school's page. */
    public record School(OffsetDateTime lastDistribution, Line overall, List<Line> profiles, List<Line> classes) {
    }

    /** One school's line of the cross-school view. */
    public record SchoolLine(String uai, Line line, OffsetDateTime lastDistribution) {
    }

    public School school(long structureId, SortKey profileSort, boolean profileDescending, SortKey classSort,
                         boolean classDescending) {
        try (SqlSession session = sessions.openSession(true)) {
            ActivationMapper mapper = session.getMapper(ActivationMapper.class);
            OffsetDateTime last = mapper.lastDistribution(structureId);
            List<Line> profiles = new ArrayList<>();
            for (Figures f : mapper.byProfile(structureId, last)) {
                profiles.add(new Line(f.name(), f.name(), null, f.total(), f.pending(), last == null ? 0 : f.since()));
            }
            List<Line> classes = new ArrayList<>();
            for (Figures f : mapper.byClass(structureId, last)) {
                classes.add(new Line(f.name(), f.name(), f.level(), f.total(), f.pending(), last == null ? 0 : f.since()));
            }
            int total = 0;
            int pending = 0;
            int since = 0;
            for (Line l : profiles) {
                total += l.total();
                pending += l.pending();
                since += l.since();
            }
            profiles.sort(order(profileSort, profileDescending, ActivationFollowUp::profileOrder));
            classes.sort(order(classSort, classDescending, l -> (l.level() == null ? "\uffff" : l.level()) + "\u0000" + l.name()));
            return new School(last, new Line("", "", null, total, pending, since), profiles, classes);
        }
    }

    /** One line per school among {@code structureIds} (those the admin may see). */
    public List<SchoolLine> schools(Collection<Long> structureIds, SortKey sort, boolean descending) {
        if (structureIds.isEmpty()) return List.of();
        List<SchoolLine> out = new ArrayList<>();
        try (SqlSession session = sessions.openSession(true)) {
            for (SchoolRow r : session.getMapper(ActivationMapper.class).bySchool(structureIds)) {
                out.add(new SchoolLine(r.uai(), new Line(r.uai(), r.name(), null, r.total(), r.pending(),
                        r.lastDistribution() == null ? 0 : r.since()), r.lastDistribution()));
            }
        }
        Comparator<Line> byLine = order(sort, descending, l -> l.name().toLowerCase(Locale.ROOT));
        out.sort((a, b) -> byLine.compare(a.line(), b.line()));
        return out;
    }

    private static String profileOrder(Line l) {
        return Profile.parse(l.name()).map(p -> String.valueOf(p.ordinal())).orElse(l.name());
    }

    /** The order of a table: by the key, ties (and the name key) by the natural order of the groups. */
    private static Comparator<Line> order(SortKey key, boolean descending, Function<Line, String> natural) {
        Comparator<Line> byName = Comparator.comparing(natural);
        Comparator<Line> main = switch (key) {
            case name -> byName;
            case total -> Comparator.<Line>comparingInt(Line::total);
            case pending -> Comparator.<Line>comparingInt(Line::pending);
            case rate -> Comparator.<Line>comparingDouble(Line::rate);
            case since -> Comparator.<Line>comparingInt(Line::since);
        };
        if (descending) main = main.reversed();
        return key == SortKey.name ? main : main.thenComparing(byName);
    }

    /** Column titles and cell texts of the CSV, in the admin's language (given by the caller). */
    public interface CsvTexts {
        String header(String column);

        String profile(String profile);

        String group(String group);

        String date(OffsetDateTime at);
    }

    /** The school's figures as CSV (French Excel's format): profiles, then classes, then the whole school. */
    public void writeSchoolCsv(School school, String language, CsvTexts texts, OutputStream out) {
        try (ExcelCsv csv = ExcelCsv.on(out)) {
            csv.row(texts.header("group"), texts.header("name"), texts.header("level"), texts.header("total"),
                    texts.header("activated"), texts.header("pending"), texts.header("rate"), texts.header("since"),
                    texts.header("lastDistribution"));
            String last = school.lastDistribution() == null ? "" : texts.date(school.lastDistribution());
            for (Line l : school.profiles()) csvLine(csv, texts.group("profile"), texts.profile(l.name()), "", l, language, last);
            for (Line l : school.classes()) csvLine(csv, texts.group("class"), l.name(), l.level(), l, language, last);
            csvLine(csv, texts.group("school"), "", "", school.overall(), language, last);
        }
    }

    /** The cross-school view as CSV. */
    public void writeSchoolsCsv(List<SchoolLine> schools, String language, CsvTexts texts, OutputStream out) {
        try (ExcelCsv csv = ExcelCsv.on(out)) {
            csv.row(texts.header("uai"), texts.header("school"), texts.header("total"), texts.header("activated"),
                    texts.header("pending"), texts.header("rate"), texts.header("since"), texts.header("lastDistribution"));
            for (SchoolLine s : schools) {
                Line l = s.line();
                csv.row(s.uai(), l.name(), String.valueOf(l.total()), String.valueOf(l.activated()), String.valueOf(l.pending()),
                        l.rateText(language), s.lastDistribution() == null ? "" : String.valueOf(l.since()),
                        s.lastDistribution() == null ? "" : texts.date(s.lastDistribution()));
            }
        }
    }

    private static void csvLine(ExcelCsv csv, String group, String name, String level, Line l, String language, String last) {
        csv.row(group, name, level == null ? "" : level, String.valueOf(l.total()), String.valueOf(l.activated()),
                String.valueOf(l.pending()), l.rateText(language), last.isEmpty() ? "" : String.valueOf(l.since()), last);
    }
}
