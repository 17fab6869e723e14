package fr.publipostage.letters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.App;
import fr.publipostage.Setting;
import fr.publipostage.cli.Args;
import fr.publipostage.cli.CliError;
import fr.publipostage.cli.LettersCommand;
import fr.publipostage.directory.Account;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.jobs.JobStore;
import fr.publipostage.jobs.JobWorker;
import fr.publipostage.jobs.Lease;
import fr.publipostage.jobs.Leases;
import fr.publipostage.jobs.WorkEvents;
import fr.publipostage.jobs.LetterJob;
import fr.publipostage.security.AuditEvent;
import fr.publipostage.selection.Scope;
import fr.publipostage.selection.Selection;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LettersIT {
    private static TestDatabase.Fresh db;
    private static App app;
    private static long lyceeId;

    @BeforeAll
    static void load() {
        db = TestDatabase.fresh();
        app = db.app(Map.of(Setting.PDF_CHUNK_PAGES, "60"));
        app.demo().loadIfEmpty();
        lyceeId = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
    }

    @AfterAll
    static void close() {
        app.close();
    }

    private Selection parse(Map<String, List<String>> params) {
        return app.selections().parse(lyceeId, params);
    }

    @Test
    void pupilsOfSecondeByClassWithCoverSheets() throws Exception {
        Selection s = parse(Map.of("profile", List.of("Student"), "level", List.of("Seconde"), "sort", List.of("class"),
                "cover", List.of("true")));
        List<Account> accounts = app.selections().list(s, Scope.LOCAL_ADMIN);
        // A cover sheet lists 28 people a page.
        int coverPages = accounts.stream().collect(java.util.stream.Collectors.groupingBy(a -> a.classes().get(0),
                java.util.stream.Collectors.counting())).values().stream().mapToInt(n -> (int) ((n + 27) / 28)).sum();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LetterEngine.Result r = app.letters().print(s, Scope.LOCAL_ADMIN, "admin.test", "web", out, LetterEngine.Progress.NONE);
        Pdfs.Info pdf = Pdfs.read(out.toByteArray());
        assertThat(r.accounts()).isEqualTo(accounts.size());
        assertThat(pdf.pages()).isEqualTo(r.pages()).isEqualTo(accounts.size() + coverPages);
        for (Account a : accounts) {
            assertThat(pdf.text()).contains(a.displayLogin());
            if (!a.activated()) assertThat(pdf.text()).contains(a.activationCode());
        }
        assertThat(pdf.pageTexts().get(0)).startsWith("Lycée Montesquieu").contains("Classe");
        assertThat(pdf.allEmbedded()).isTrue();
        // Fonts once per chunk; the PDF/UA structure tree and marked content add ~3 KB a page (bench/README.md).
        assertThat(r.bytes() / r.pages()).isLessThan(12_000);
        var events = app.audit().recent(lyceeId, 5);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditEvent.PDF_LETTERS);
            assertThat(e.adminLogin()).isEqualTo("admin.test");
            assertThat(e.accountCount()).isEqualTo(accounts.size());
        });
    }

    @Test
    void aBackgroundJobRunsOnceIsDownloadedOnceAndIsPrivate() throws Exception {
        Selection s = parse(Map.of("profile", List.of("Teacher"), "layout", List.of("8")));
        int teachers = app.selections().count(s, Scope.LOCAL_ADMIN).total();
        long id = app.letters().submit(s, Scope.LOCAL_ADMIN, "admin.jobs");
        assertThat(app.letters().status(id, "admin.jobs").state()).isEqualTo(LetterJob.QUEUED);
        assertThatThrownBy(() -> app.letters().status(id, "someone.else"))
                .isInstanceOfSatisfying(LetterService.JobUnavailable.class, e -> assertThat(e.key()).isEqualTo("job.notYours"));
        assertThatThrownBy(() -> app.letters().download(id, "admin.jobs", OutputStreamSink.INSTANCE))
                .isInstanceOfSatisfying(LetterService.JobUnavailable.class, e -> assertThat(e.key()).isEqualTo("job.notDone"));

        assertThat(app.jobWorker().poll()).isGreaterThanOrEqualTo(1);
        LetterService.JobStatus done = app.letters().status(id, "admin.jobs");
        assertThat(done.state()).isEqualTo(LetterJob.DONE);
        assertThat(done.percent()).isEqualTo(100);
        assertThat(done.accounts()).isEqualTo(teachers);
        assertThat(done.pagesDone()).isEqualTo(done.pagesTotal()).isEqualTo((teachers + 7) / 8);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.letters().download(id, "admin.jobs", out);
        assertThat(out.size()).isEqualTo(done.bytes().intValue());
        assertThat(Pdfs.read(out.toByteArray()).pages()).isEqualTo(done.pagesTotal());
        // Deleted after download: it held credentials.
        assertThatThrownBy(() -> app.letters().download(id, "admin.jobs", new ByteArrayOutputStream()))
                .isInstanceOf(LetterService.JobUnavailable.class);
        assertThat(app.audit().recent(lyceeId, 20)).anyMatch(e -> e.adminLogin().equals("admin.jobs")
                && e.details().contains("\"jobId\""));
    }

    /** Issue 13: a job's progress counts pages, cover sheets included, from its first figure to its last. */
    @Test
    void aJobsProgressTotalIsItsPagesFromTheStart() throws Exception {
        Selection s = parse(Map.of("profile", List.of("Student"), "level", List.of("Seconde"), "sort", List.of("class"),
                "cover", List.of("yes")));
        List<Account> accounts = app.selections().list(s, Scope.LOCAL_ADMIN);
        int covers = accounts.stream().collect(java.util.stream.Collectors.groupingBy(a -> a.classes().get(0),
                java.util.stream.Collectors.counting())).values().stream().mapToInt(n -> (int) ((n + 27) / 28)).sum();
        assertThat(covers).isPositive();
        int pages = accounts.size() + covers;
        long id = app.letters().submit(s, Scope.LOCAL_ADMIN, "admin.progress");
        assertThat(app.letters().status(id, "admin.progress").pagesTotal()).as("queued: the total is already in pages")
                .isEqualTo(pages);
        List<Integer> totals = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobWorker worker = new JobWorker(app.jobStore(), app.leases(), (job, context, result) -> app.letters().run(job, (done, total) -> {
            totals.add(total);
            boolean stop = context.progress(done, total);
            seen.add(app.letters().status(job.id(), "admin.progress").pagesTotal());
            return stop;
        }, result), Duration.ofSeconds(60), 60, WorkEvents.NONE);
        worker.poll();
        LetterService.JobStatus done = app.letters().status(id, "admin.progress");
        assertThat(done.state()).isEqualTo(LetterJob.DONE);
        assertThat(totals).hasSizeGreaterThan(2).containsOnly(pages);
        assertThat(seen).as("what the progress bar reads").containsOnly(pages);
        assertThat(done.pagesTotal()).isEqualTo(done.pagesDone()).isEqualTo(pages);
    }

    @Test
    void aQueuedJobCanBeCancelled() {
        long id = app.letters().submit(Selection.everyone(lyceeId), Scope.LOCAL_ADMIN, "admin.cancel");
        assertThat(app.letters().cancel(id, "admin.cancel")).isTrue();
        app.jobWorker().poll();
        assertThat(app.letters().status(id, "admin.cancel").state()).isEqualTo(LetterJob.CANCELLED);
    }

    @Test
    void aRunningJobStopsWhenCancelled() throws Exception {
        long id = app.letters().submit(Selection.everyone(lyceeId), Scope.LOCAL_ADMIN, "admin.stop");
        JobWorker worker = new JobWorker(app.jobStore(), app.leases(), (job, context, result) -> {
            app.letters().cancel(job.id(), "admin.stop");
            return app.letters().run(job, context, result);
        }, Duration.ofSeconds(60), 60, WorkEvents.NONE);
        worker.poll();
        LetterService.JobStatus st = app.letters().status(id, "admin.stop");
        assertThat(st.state()).isEqualTo(LetterJob.CANCELLED);
    }

    @Test
    void jobsOfADeadInstanceAreTakenBackAndUndownloadedFilesExpire() throws Exception {
        Selection small = parse(Map.of("profile", List.of("Personnel")));
        long id = app.letters().submit(small, Scope.LOCAL_ADMIN, "admin.stale");
        JobStore store = app.jobStore();
        // An instance claims the job, then dies: no heartbeat renews its lease.
        Leases dead = new Leases(fr.publipostage.db.MyBatis.sessionFactory(db.database().dataSource(),
                List.of(fr.publipostage.jobs.LetterJobMapper.class, fr.publipostage.jobs.LeaseMapper.class)),
                "dead-instance", WorkEvents.NONE, Duration.ofHours(1));
        Lease lease = dead.claim(JobStore.KIND, Duration.ofMillis(500), store.nextQueued(), null, store.requeue())
                .orElseThrow().lease();
        assertThat(app.letters().status(id, "admin.stale").state()).isEqualTo(LetterJob.RUNNING);
        Thread.sleep(700);
        assertThat(app.jobWorker().poll()).isGreaterThanOrEqualTo(1);
        assertThat(app.letters().status(id, "admin.stale").state()).isEqualTo(LetterJob.DONE);
        assertThat(store.find(id).orElseThrow().leaseEpoch()).isGreaterThan(lease.epoch());
        // Nobody downloads it: past its expiry the file is deleted.
        sql("update letter_job set expires_at = now() - interval '1 second' where id = " + id);
        assertThat(store.expire()).isEqualTo(1);
        assertThat(app.letters().status(id, "admin.stale").state()).isEqualTo(LetterJob.EXPIRED);
        assertThat(count("select count(*) from letter_job_part where job_id = " + id)).isZero();
    }

    private static void sql(String statement) throws Exception {
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static long count(String query) throws Exception {
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void twoInstancesNeverRunTheSameJob() throws Exception {
        Selection small = parse(Map.of("profile", List.of("Personnel")));
        List<Long> ids = List.of(app.letters().submit(small, Scope.LOCAL_ADMIN, "admin.multi"),
                app.letters().submit(small, Scope.LOCAL_ADMIN, "admin.multi"),
                app.letters().submit(small, Scope.LOCAL_ADMIN, "admin.multi"),
                app.letters().submit(small, Scope.LOCAL_ADMIN, "admin.multi"));
        App second = db.app();
        int[] ran = new int[2];
        Thread a = new Thread(() -> ran[0] = app.jobWorker().poll());
        Thread b = new Thread(() -> ran[1] = second.jobWorker().poll());
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(ran[0] + ran[1]).isEqualTo(4);
        for (long id : ids) assertThat(app.letters().status(id, "admin.multi").state()).isEqualTo(LetterJob.DONE);
        second.jobWorker().close(); // not second.close(): the database is shared
    }

    @Test
    void oneAccountsLetterAndPreview() throws Exception {
        Account pupil = app.selections().list(parse(Map.of("profile", List.of("Student"), "activation", List.of("pending"))),
                Scope.LOCAL_ADMIN).get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.letters().printAccount(lyceeId, pupil.id(), 1, Scope.LOCAL_ADMIN, "admin.one", out);
        Pdfs.Info pdf = Pdfs.read(out.toByteArray());
        assertThat(pdf.pages()).isEqualTo(1);
        assertThat(pdf.text()).contains(pupil.displayLogin(), pupil.activationCode(), pupil.lastName());
        long t0 = System.nanoTime();
        byte[] png = app.letters().preview(parse(Map.of("sort", List.of("class"), "cover", List.of("true"))), Scope.LOCAL_ADMIN, "t.preview");
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(app.letters().previewAccount(lyceeId, pupil.id(), 2, Scope.LOCAL_ADMIN, "t.preview")).startsWith(0x89, 'P', 'N', 'G');
        System.out.printf("preview: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThatThrownBy(() -> app.letters().printAccount(lyceeId, -1, 1, Scope.LOCAL_ADMIN, "admin.one", out))
                .isInstanceOf(LetterService.JobUnavailable.class);
    }

    @Test
    void commandLinePrintsAFileAndThePageCount() throws Exception {
        Path file = Files.createTempFile("letters", ".pdf");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        LettersCommand cmd = new LettersCommand(new PrintStream(stdout, true, "UTF-8"), new PrintStream(stderr, true, "UTF-8"));
        int rc = cmd.run(app, "fr", new Args(List.of("--structure", DemoDirectory.LYCEE_UAI, "--profile", "Teacher",
                "--sort", "class,profile", "--layout", "2", "--out", file.toString()), Set.of("cover")));
        assertThat(rc).isZero();
        int pages = Pdfs.read(Files.readAllBytes(file)).pages();
        assertThat(stdout.toString("UTF-8")).contains(pages + " page(s)");
        assertThat(stderr.toString("UTF-8")).contains("Courriers : ");
        assertThatThrownBy(() -> cmd.run(app, "fr", new Args(List.of("--structure", DemoDirectory.LYCEE_UAI, "--cover",
                "--out", file.toString()), Set.of("cover")))).isInstanceOf(CliError.class).satisfies(e -> assertThat(french(e)).contains("--sort class"));
        assertThatThrownBy(() -> cmd.run(app, "fr", new Args(List.of("--structure", DemoDirectory.LYCEE_UAI, "--layout",
                "3", "--out", file.toString()), Set.of("cover")))).isInstanceOf(CliError.class).satisfies(e -> assertThat(french(e)).contains("3"));
        assertThatThrownBy(() -> cmd.run(app, "fr", new Args(List.of("--structure", "9999999Z", "--out", file.toString()),
                Set.of("cover")))).isInstanceOf(CliError.class);
        assertThatThrownBy(() -> cmd.run(app, "fr", new Args(List.of("--structure", DemoDirectory.LYCEE_UAI,
                "--created-after", "2099-01-01", "--out", file.toString()), Set.of("cover"))))
                .isInstanceOf(CliError.class).satisfies(e -> assertThat(french(e)).contains("Aucun compte"));
        Files.deleteIfExists(file);
    }

    @Test
    void archiveCopiesFromTheCommandLineTheSchoolDefaultAndJobsAreValidPdfA2uAndPdfUa() throws Exception {
        Path file = Files.createTempFile("letters-pdfa", ".pdf");
        LettersCommand cmd = new LettersCommand(new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"),
                new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"));
        List<String> teachers = List.of("--structure", DemoDirectory.LYCEE_UAI, "--profile", "Teacher", "--out", file.toString());
        try {
            // --pdfa: one file that veraPDF finds valid as PDF/A-2u and as PDF/UA-1 (several chunks merged).
            assertThat(cmd.run(app, "fr", new Args(plus(teachers, "--pdfa"), Set.of("cover", "pdfa")))).isZero();
            byte[] archive = Files.readAllBytes(file);
            assertThat(Pdfs.read(archive).pages()).isGreaterThan(60);
            assertThat(VeraPdf.isArchive(archive)).isTrue();
            assertThat(VeraPdf.failures(archive, org.verapdf.pdfa.flavours.PDFAFlavour.PDFA_2_U)).isEmpty();
            assertThat(VeraPdf.failures(archive, org.verapdf.pdfa.flavours.PDFAFlavour.PDFUA_1)).isEmpty();
            // Without the option: the school's default, off until its admin sets it.
            assertThat(cmd.run(app, "fr", new Args(teachers, Set.of("cover", "pdfa")))).isZero();
            assertThat(VeraPdf.isArchive(Files.readAllBytes(file))).isFalse();
            app.printDefaults().setArchive(lyceeId, true, "admin.0330001a");
            assertThat(cmd.run(app, "fr", new Args(teachers, Set.of("cover", "pdfa")))).isZero();
            assertThat(VeraPdf.isArchive(Files.readAllBytes(file))).isTrue();
            assertThat(cmd.run(app, "fr", new Args(plus(teachers, "--pdfa=no"), Set.of("cover", "pdfa")))).isZero();
            assertThat(VeraPdf.isArchive(Files.readAllBytes(file))).isFalse();
            assertThatThrownBy(() -> cmd.run(app, "fr", new Args(plus(teachers, "--pdfa=peut-être"), Set.of("cover", "pdfa"))))
                    .isInstanceOf(CliError.class).satisfies(e -> assertThat(french(e)).contains("--pdfa").contains("peut-être"));
            assertThat(app.audit().recent(lyceeId, 10)).anyMatch(e -> e.action().equals("structure.print-defaults"));
        } finally {
            app.printDefaults().setArchive(lyceeId, false, "admin.0330001a");
            Files.deleteIfExists(file);
        }
        // A background job keeps the choice (it is part of the queued request).
        Selection s = parse(Map.of("profile", List.of("Personnel")));
        long id = app.letters().submit(s, Scope.LOCAL_ADMIN, "admin.pdfa", true);
        assertThat(app.jobWorker().poll()).isGreaterThanOrEqualTo(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.letters().download(id, "admin.pdfa", out);
        assertThat(VeraPdf.isArchive(out.toByteArray())).isTrue();
        assertThat(VeraPdf.failures(out.toByteArray(), org.verapdf.pdfa.flavours.PDFAFlavour.PDFA_2_U)).isEmpty();
    }

    private static List<String> plus(List<String> words, String more) {
        List<String> all = new java.util.ArrayList<>(words);
        all.add(more);
        return all;
    }

    /** The error as the command line prints it (French, the default language). */
    private static String french(Throwable e) {
        return ((CliError) e).message(new fr.publipostage.templates.Messages(), "fr");
    }

    /** Issue 14 from the command line: --layout postal refuses with the names, --postal with prints only those with an address, hand hands over. */
    @Test
    void commandLinePrintsParentsByPostRefusingOrHandingOverThoseWithoutAnAddress() throws Exception {
        java.util.List<fr.publipostage.directory.Account> parents = app.selections().list(
                parse(Map.of("profile", List.of("Relative"))), Scope.LOCAL_ADMIN);
        // A class with parents both with and without an address.
        String cls = parents.stream().filter(a -> a.postalAddress() == null && !a.classes().isEmpty())
                .flatMap(a -> a.classes().stream())
                .filter(c -> parents.stream().anyMatch(b -> b.classes().contains(c) && b.postalAddress() != null))
                .findFirst().orElseThrow();
        List<fr.publipostage.directory.Account> ofClass = app.selections().list(
                parse(Map.of("profile", List.of("Relative"), "class", List.of(cls))), Scope.LOCAL_ADMIN);
        long withAddress = ofClass.stream().filter(a -> a.postalAddress() != null).count();
        fr.publipostage.directory.Account without = ofClass.stream().filter(a -> a.postalAddress() == null).findFirst().orElseThrow();
        Path file = Files.createTempFile("courrier", ".pdf");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        LettersCommand cmd = new LettersCommand(new PrintStream(stdout, true, "UTF-8"), new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"));
        List<String> base = List.of("--structure", DemoDirectory.LYCEE_UAI, "--profile", "Relative", "--class", cls, "--layout", "postal");

        assertThatThrownBy(() -> cmd.run(app, "fr", new Args(concat(base, "--out", file.toString()), Set.of("cover"))))
                .isInstanceOf(CliError.class).hasMessageContaining("sans adresse postale").hasMessageContaining(without.displayLogin())
                .hasMessageContaining("--without-address hand");

        assertThat(cmd.run(app, "fr", new Args(concat(base, "--postal", "with", "--out", file.toString()), Set.of("cover")))).isZero();
        byte[] pdf = Files.readAllBytes(file);
        assertThat(Pdfs.read(pdf).pages()).isEqualTo((int) withAddress);
        PostalGeometry.Box frame = PostalGeometry.FRAME;
        List<List<PostalGeometry.Run>> pages = PostalGeometry.runs(pdf);
        // Page 1's address: its postcode-and-city line lies inside the window's frame.
        fr.publipostage.directory.PostalRules.Printed printed = fr.publipostage.directory.PostalRules.print(
                ofClass.stream().filter(a -> a.postalAddress() != null).findFirst().orElseThrow().postalAddress());
        String locality = printed.localityLine().replace(" ", "");
        assertThat(pages.get(0)).filteredOn(r -> r.text().equals(locality)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.box().inside(frame)).as("%s at %s", r.text(), r.box()).isTrue());

        assertThat(cmd.run(app, "fr", new Args(concat(base, "--without-address", "hand", "--out", file.toString()), Set.of("cover")))).isZero();
        Pdfs.Info info = Pdfs.read(Files.readAllBytes(file));
        assertThat(info.pages()).isGreaterThan(ofClass.size());
        assertThat(String.join("\n", info.pageTexts())).contains("À remettre en main propre").contains(without.displayLogin());
        Files.deleteIfExists(file);
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /** A sink for calls expected to fail before writing. */
    enum OutputStreamSink {
        ;
        static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();
    }
}
