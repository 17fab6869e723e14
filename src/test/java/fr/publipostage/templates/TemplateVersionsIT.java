package fr.publipostage.templates;

import static org.assertj.core.api.Assertions.assertThat;

import fr.publipostage.App;
import fr.publipostage.db.MyBatis;
import fr.publipostage.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first correctness fault of issue 10: Velocity's cache is keyed by the version in the resource
 * name, so the loader must load that version and no other (a save landing between naming and
 * loading must not be cached under the old name); and {@link StructureTemplates} must not put a
 * snapshot read before a save back into its cache after the save dropped it.
 */
class TemplateVersionsIT {
    private static final String FILE = "mail-activation.subject.vm";
    private TestDatabase.Fresh db;
    private App app;
    private long structureId;
    private SqlSessionFactory sessions;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.fresh();
        app = db.app();
        String csv = "uai;structure_name;profile;last_name;first_name;login;login_alias;activation_code;email;level;classes;relatives;functions;created_at;language\n"
                + "0330077V;Lycée Test;Teacher;Test;Zoé;z.test;;ABC123;;;;;;2026-09-01;\n";
        app.importer().importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), null);
        structureId = app.structureByUai("0330077V").id();
        sessions = MyBatis.sessionFactory(db.database().dataSource(), List.of(TemplateMapper.class));
    }

    @AfterEach
    void tearDown() {
        app.close();
        db.close();
    }

    private TemplateVersion save(String text) {
        return new TemplateVersion(structureId, FILE, 0, text, "t", null, null, TemplateVersion.SAVE, null);
    }

    private TemplateVersion reset() {
        return new TemplateVersion(structureId, FILE, 0, null, "t", null, null, TemplateVersion.RESET, null);
    }

    private String render(VelocityRenderer renderer) {
        return renderer.render(structureId, FILE, new TemplateVariables(new Messages(), new QrCodes())
                .forAccount(VelocitySandboxTest.PUPIL, VelocitySandboxTest.SCHOOL, LocalDate.of(2025, 9, 12))).strip();
    }

    @Test
    void theLoaderLoadsTheVersionItsNameSays() {
        StructureTemplates other = new StructureTemplates(sessions, new BuiltinTemplates(), 0, System::currentTimeMillis);
        AtomicInteger reads = new AtomicInteger();
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean saved = new AtomicBoolean();
        // No cache (every resolve reads the database); a second read within the render (the loader's,
        // before the fix) comes after a save landed.
        StructureTemplates templates = new StructureTemplates(sessions, new BuiltinTemplates(), 0, () -> {
            if (armed.get() && reads.incrementAndGet() == 2 && saved.compareAndSet(false, true)) {
                other.append(save("SAVED BETWEEN NAMING AND LOADING"), null);
            }
            return System.nanoTime();
        });
        VelocityRenderer renderer = new VelocityRenderer(templates);
        String builtin = render(new VelocityRenderer(new BuiltinTemplates()));
        armed.set(true);
        assertThat(render(renderer)).as("the name said built-in: the built-in text is what was loaded").isEqualTo(builtin);
        armed.set(false);
        // The loader no longer reads "the latest" at all; the save lands now if it has not yet.
        if (saved.compareAndSet(false, true)) other.append(save("SAVED BETWEEN NAMING AND LOADING"), null);
        // Now the override is in force: the next letter uses it…
        assertThat(render(renderer)).isEqualTo("SAVED BETWEEN NAMING AND LOADING");
        // …and after a reset, the built-in again, never a text cached under the wrong name.
        other.append(reset(), null);
        assertThat(render(renderer)).isEqualTo(builtin);
        other.append(save("SAVED AGAIN"), null);
        assertThat(render(renderer)).isEqualTo("SAVED AGAIN");
    }

    @Test
    void aSnapshotReadBeforeASaveIsNotPutBackAfterIt() {
        AtomicReference<StructureTemplates> self = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean();
        // The read of latest versions ends (its session closes) and a save on this instance lands before the snapshot is cached.
        SqlSessionFactory racing = (SqlSessionFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SqlSessionFactory.class}, (proxy, method, args) -> {
                    Object result = invoke(method, sessions, args);
                    if (!method.getName().equals("openSession") || !(result instanceof SqlSession session)) return result;
                    boolean readOnly = args != null && args.length == 1 && Boolean.TRUE.equals(args[0]);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SqlSession.class},
                            (p, m, a) -> {
                                Object r = invoke(m, session, a);
                                if (m.getName().equals("close") && readOnly && armed.compareAndSet(true, false)) {
                                    self.get().append(save("SAVED WHILE READING"), null);
                                }
                                return r;
                            });
                });
        StructureTemplates templates = new StructureTemplates(racing, new BuiltinTemplates(), 60_000, System::currentTimeMillis);
        self.set(templates);
        armed.set(true);
        templates.latest(structureId);
        assertThat(templates.resolve(structureId, FILE).orElseThrow().text())
                .as("the save is seen at once on this instance").isEqualTo("SAVED WHILE READING");
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
