package fr.publipostage.customisation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.directory.DemoDirectory;
import fr.publipostage.selection.Scope;
import fr.publipostage.testing.TestDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classic escapes, tried through the editor as a school admin would (save and draft preview):
 * each is refused with a message in the admin's language, nothing is saved, nothing leaks, and the
 * editor keeps working afterwards.
 */
class TemplateSandboxIT {
    private static final String ACTIVATION = "print-activation.vm";
    private static TestDatabase.Fresh db;
    private static App app;
    private static TemplateEditor editor;
    private static long lycee;
    private static String builtin;

    @BeforeAll
    static void open() {
        db = TestDatabase.fresh();
        app = db.app();
        app.demo().loadIfEmpty();
        editor = app.templateEditor();
        lycee = app.structureByUai(DemoDirectory.LYCEE_UAI).id();
        builtin = editor.file(lycee, ACTIVATION).text();
    }

    @AfterAll
    static void close() {
        app.close();
    }

    /** Save and draft preview both refuse; returns the save's reasons as the admin reads them. */
    private static String refusedEverywhere(String name, String text) {
        String said = null;
        try {
            editor.save(lycee, name, text, null, "admin.lycee", null);
        } catch (TemplateRejected e) {
            said = String.join("\n", e.problems().stream()
                    .map(p -> app.messages().get("fr", p.key(), p.args().toArray())).toList());
        }
        assertThat(said).as("save refused: " + text).isNotBlank();
        assertThat(said).doesNotContain("root:x:0:0");
        assertThat(editor.history(lycee, name)).isEmpty();
        boolean previewRefused = false;
        try {
            editor.previewPage(lycee, name, text, Sample.WORST_PENDING, 1, "fr", Scope.LOCAL_ADMIN, "t.editor");
        } catch (TemplateRejected e) {
            previewRefused = true;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(previewRefused).as("preview refused: " + text).isTrue();
        return said;
    }

    private static String withLine(String line) {
        return builtin.replace("<h1>", line + "\n<h1>");
    }

    @Test
    void noReflectionNoClassAccess() {
        assertThat(refusedEverywhere(ACTIVATION, withLine("$account.getClass().forName('java.lang.Runtime')"))).isNotBlank();
        assertThat(refusedEverywhere(ACTIVATION, withLine("$account.class.classLoader"))).isNotBlank();
        assertThat(refusedEverywhere(ACTIVATION, withLine("$class"))).contains("class");
        assertThat(refusedEverywhere(ACTIVATION, withLine("$msg.getClass().getClassLoader()"))).isNotBlank();
    }

    @Test
    void noFileReadThroughIncludeOrParse() {
        assertThat(refusedEverywhere(ACTIVATION, withLine("#include('/etc/passwd')"))).contains("/etc/passwd");
        assertThat(refusedEverywhere(ACTIVATION, withLine("#parse('../../../../etc/passwd')"))).isNotBlank();
        assertThat(refusedEverywhere(ACTIVATION, withLine("#include('file:///etc/passwd')"))).isNotBlank();
    }

    @Test
    void noFileOrNetworkFromTheHtml() throws Exception {
        assertThat(refusedEverywhere(ACTIVATION, withLine("<p><img src=\"file:///etc/passwd\" alt=\"\"/></p>")))
                .contains("file:///etc/passwd");
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            listening.setSoTimeout(1_500);
            CompletableFuture<Socket> connection = CompletableFuture.supplyAsync(() -> {
                try {
                    return listening.accept();
                } catch (SocketTimeoutException e) {
                    return null;
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            String url = "http://127.0.0.1:" + listening.getLocalPort() + "/x.css";
            String document = editor.file(lycee, "print-document.vm").text()
                    .replace("</head>", "<link rel=\"stylesheet\" href=\"" + url + "\"/>\n</head>");
            assertThat(refusedEverywhere("print-document.vm", document)).contains(url);
            String css = editor.file(lycee, "print.css").text() + "\n@import url(\"https://127.0.0.1:"
                    + listening.getLocalPort() + "/y.css\");\nbody { background: url(http://127.0.0.1:"
                    + listening.getLocalPort() + "/z.png); }\n";
            assertThat(refusedEverywhere("print.css", css)).contains("127.0.0.1:" + listening.getLocalPort());
            assertThat(connection.get(5, TimeUnit.SECONDS)).as("a connection reached the test socket").isNull();
        }
    }

    @Test
    void endlessLoopsAndHugeValuesStop() {
        long t0 = System.nanoTime();
        assertThat(refusedEverywhere(ACTIVATION,
                withLine("#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end")))
                .contains("boucle sans fin");
        assertThat((System.nanoTime() - t0) / 1_000_000_000.0).as("seconds").isLessThan(30);
        assertThat(refusedEverywhere(ACTIVATION, withLine("#set($s = 'x')#foreach($i in [1..40])#set($s = \"$s$s\")#end$s")))
                .isNotBlank();
        assertThat(refusedEverywhere(ACTIVATION, withLine("$account.login.repeat(1000000000)"))).isNotBlank();
    }

    @Test
    void theEditorStillWorksAfterTheAttempts() throws Exception {
        byte[] png = editor.previewPage(lycee, ACTIVATION, builtin, Sample.WORST_PENDING, 1, "fr", Scope.LOCAL_ADMIN, "t.editor");
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(editor.check(lycee, ACTIVATION, builtin)).isEmpty();
        assertThat(List.of(editor.files(lycee).size())).containsExactly(fr.publipostage.templates.TemplateCatalog.FILES.size());
    }
}
