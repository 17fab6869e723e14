package fr.publipostage.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.testing.Fleet;
import fr.publipostage.testing.HttpSession;
import fr.publipostage.testing.Instance;
import fr.publipostage.testing.PdfPages;
import fr.publipostage.testing.SharedDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole school's letters job on instances in JVMs of their own sharing one database (the tests'
 * embedded PostgreSQL, and in {@code .ci/run} Debian's server too): the instance rendering it is
 * killed (SIGKILL) or frozen past its lease (SIGSTOP, then SIGCONT); another finishes it; the PDF
 * downloads from any instance and has one page per account and every code once. The killed run's temp
 * files (activation codes in clear) are gone after the next start, and were private while they lived.
 */
class LetterJobInstancesIT {
    private static final int PUPILS = 240;
    private static final Pattern CODE = Pattern.compile("AC\\d{6}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TAKEOVERS_LETTERS = "publipostage_lease_takeovers_total{queue=\"letters\"}";

    /** Instances rendering slowly enough to be caught mid-job: one thread, small chunks, a 3 s lease. */
    private static Map<String, String> settings() {
        return Map.of("PUBLIPOSTAGE_PDF_THREADS", "1", "PUBLIPOSTAGE_PDF_CHUNK_PAGES", "12",
                "PUBLIPOSTAGE_PDF_JOB_LEASE", "3s", "PUBLIPOSTAGE_PDF_DIRECT_MAX", "50");
    }

    private static long submit(HttpSession session) throws Exception {
        HttpResponse<String> r = session.post("/api/structures/" + Fleet.UAI + "/letters", Map.of("layout", "1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("id").asLong();
    }

    private static LetterJob job(Fleet fleet, long id) {
        return fleet.app.jobStore().find(id).orElseThrow();
    }

    /** The downloaded PDF: one page per pupil, each page one pupil's code, every code exactly once. */
    private static void assertWholeSchool(byte[] pdf) throws Exception {
        List<String> pages = PdfPages.texts(pdf);
        assertThat(pages).as("one page per account").hasSize(PUPILS);
        Set<String> codes = new HashSet<>();
        for (int p = 0; p < pages.size(); p++) {
            Matcher m = CODE.matcher(pages.get(p));
            assertThat(m.find()).as("page " + (p + 1) + " has a code").isTrue();
            String code = m.group();
            assertThat(m.find()).as("page " + (p + 1) + " has one code").isFalse();
            assertThat(codes.add(code)).as(code + " printed once").isTrue();
        }
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= PUPILS; i++) expected.add(String.format("AC%06d", i));
        assertThat(codes).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(SharedDatabase.Kind.class)
    void killedMidRenderAnotherFinishesAndTheNextStartLeavesNothing(SharedDatabase.Kind kind) throws Exception {
        try (Fleet fleet = new Fleet(kind, Map.of())) {
            fleet.school(PUPILS, 0);
            Instance a = fleet.start("inst-a", settings());
            Instance b = fleet.start("inst-b", settings());
            a.awaitServing(Duration.ofMinutes(2));
            b.awaitServing(Duration.ofMinutes(2));
            long id = submit(fleet.login(a));

            fleet.await(Duration.ofMinutes(5), "the job renders, some pages done",
                    () -> job(fleet, id).state().equals(LetterJob.RUNNING) && job(fleet, id).pagesDone() > 0);
            LetterJob before = job(fleet, id);
            Instance owner = fleet.byOwner(before.worker());
            Instance other = owner == a ? b : a;
            // While it renders, the print's file (activation codes in clear) is private to its run.
            List<Path> files = fleet.tempEntries();
            assertThat(files).anyMatch(p -> p.getFileName().toString().endsWith(".pdf"));
            for (Path p : files) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                assertThat(PosixFilePermissions.toString(perms)).as(p.toString()).isEqualTo(expected);
            }

            owner.sigkill();
            long killedAt = System.nanoTime();
            assertThat(job(fleet, id).pagesDone()).as("killed mid-render").isLessThan(PUPILS);
            fleet.await(Duration.ofMinutes(1), "another instance takes the job over",
                    () -> job(fleet, id).leaseEpoch() > before.leaseEpoch());
            long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(fleet.byOwner(job(fleet, id).worker())).isSameAs(other);
            // The takeover is counted on /metrics by the instance that took the job over.
            assertThat(fleet.metric(other, TAKEOVERS_LETTERS)).isGreaterThanOrEqualTo(1.0);
            fleet.await(Duration.ofMinutes(4), "the job is done", () -> job(fleet, id).state().equals(LetterJob.DONE));

            // The killed instance's run folder is still there, its print's file and all: the next start removes it,
            // and leaves the live instance's folder alone.
            Set<String> runsBefore = runFolders(fleet);
            assertThat(runsBefore).anyMatch(n -> n.startsWith("run-" + owner.pid() + "-"));
            Instance restarted = fleet.serve("inst-c", settings());
            Set<String> runsAfter = runFolders(fleet);
            assertThat(runsAfter).noneMatch(n -> n.startsWith("run-" + owner.pid() + "-"));
            assertThat(runsAfter).anyMatch(n -> n.startsWith("run-" + other.pid() + "-"));
            assertThat(runsAfter).anyMatch(n -> n.startsWith("run-" + restarted.pid() + "-"));
            assertThat(fleet.tempEntries()).as("no chunk of the finished or killed runs is left")
                    .noneMatch(p -> p.getFileName().toString().endsWith(".pdf"));

            // The PDF downloads from an instance that did not render it.
            HttpResponse<byte[]> pdf = fleet.login(restarted).getBytes("/api/structures/" + Fleet.UAI + "/letters/jobs/" + id + "/pdf");
            assertThat(pdf.statusCode()).isEqualTo(200);
            assertWholeSchool(pdf.body());
            System.out.printf("[%s] letters job taken over %d ms after SIGKILL (lease 3 s)%n", fleet.db, takeoverMillis);
        }
    }

    @ParameterizedTest
    @EnumSource(SharedDatabase.Kind.class)
    void frozenPastItsLeaseItsLateWorkIsRefusedAndThePdfIsRight(SharedDatabase.Kind kind) throws Exception {
        try (Fleet fleet = new Fleet(kind, Map.of())) {
            fleet.school(PUPILS, 0);
            Instance a = fleet.start("inst-a", settings());
            Instance b = fleet.start("inst-b", settings());
            a.awaitServing(Duration.ofMinutes(2));
            b.awaitServing(Duration.ofMinutes(2));
            long id = submit(fleet.login(b));
            fleet.await(Duration.ofMinutes(5), "the job renders, some pages done",
                    () -> job(fleet, id).state().equals(LetterJob.RUNNING) && job(fleet, id).pagesDone() > 0);
            LetterJob before = job(fleet, id);
            Instance frozen = fleet.byOwner(before.worker());
            Instance other = frozen == a ? b : a;

            frozen.sigstop();
            fleet.await(Duration.ofMinutes(1), "another instance takes the job over",
                    () -> job(fleet, id).leaseEpoch() > before.leaseEpoch());
            assertThat(fleet.byOwner(job(fleet, id).worker())).isSameAs(other);
            // Resumed while the other one renders: the frozen one's lease is gone.
            frozen.sigcont();
            fleet.await(Duration.ofSeconds(30), "the resumed instance sees it lost the job",
                    () -> logContains(frozen, "lease lost"));
            fleet.await(Duration.ofMinutes(4), "the job is done", () -> job(fleet, id).state().equals(LetterJob.DONE));
            LetterJob done = job(fleet, id);
            assertThat(fleet.byOwner(done.worker())).isSameAs(other);
            assertThat(fleet.db.queryLong("select count(*) from letter_job_part where job_id = " + id + " and epoch <> "
                    + done.leaseEpoch())).as("no part of the frozen run").isZero();
            assertThat(fleet.db.queryString("select released_at is not null from work_lease where epoch = "
                    + before.leaseEpoch())).isEqualTo("t");
            // Both instances serve the one PDF; it is downloaded once, here from the one that was frozen.
            HttpResponse<byte[]> pdf = fleet.login(frozen).getBytes("/api/structures/" + Fleet.UAI + "/letters/jobs/" + id + "/pdf");
            assertThat(pdf.statusCode()).isEqualTo(200);
            assertWholeSchool(pdf.body());
            assertThat(frozen.alive()).isTrue();
        }
    }

    private static boolean logContains(Instance i, String text) {
        try {
            return i.log().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Set<String> runFolders(Fleet fleet) throws java.io.IOException {
        Set<String> names = new HashSet<>();
        Path root = fleet.tmpDir.resolve("publipostage");
        try (var list = Files.list(root)) {
            list.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }
}
