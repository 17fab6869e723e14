package fr.publipostage.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * This instance's meters, in one Micrometer registry shown in Prometheus text at {@code /metrics}.
 * Features call the small methods below (names in {@link MeterNames}); the pool publishes itself
 * through HikariCP's Micrometer tracker; the queue gauges are read from the database at each scrape.
 * It sits below every feature package so that any of them (the lease engine of {@code jobs/} too) may
 * feed it.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter pages;
    private final Counter mailsSent;
    private final Map<String, Double> queues = new ConcurrentHashMap<>();
    private final SqlSessionFactory sessions;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** {@code sessions}: where the queue gauges are counted (null: no queue gauges, e.g. in unit tests). */
    public Metrics(SqlSessionFactory sessions) {
        this.sessions = sessions;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        pages = Counter.builder(MeterNames.PAGES_RENDERED).description("PDF pages written").register(registry);
        mailsSent = Counter.builder(MeterNames.MAILS_SENT).description("messages accepted by the SMTP server").register(registry);
        for (String queue : List.of(MeterNames.QUEUE_LETTERS, MeterNames.QUEUE_MAIL)) leaseTakeovers(queue, 0);
        for (String state : List.of("queued", "running", "failed")) queueGauge(MeterNames.JOBS, "state", MeterNames.QUEUE_LETTERS, state);
        for (String status : List.of("pending", "sending")) queueGauge(MeterNames.MAIL_QUEUE, "status", MeterNames.QUEUE_MAIL, status);
    }

    private void queueGauge(String name, String tag, String queue, String state) {
        String key = queue + "/" + state;
        queues.put(key, 0.0);
        Gauge.builder(name, queues, q -> q.getOrDefault(key, 0.0)).tag(tag, state).register(registry);
    }

    /** The registry, for binders (HikariCP's tracker, Jetty's). */
    public MeterRegistry registry() {
        return registry;
    }

    /** One HTTP request, by route template (never the raw path: bounded label values). */
    public void httpRequest(String method, String route, int status, long nanos) {
        Timer.builder(MeterNames.HTTP_REQUESTS).description("HTTP requests by route and status")
                .tag("method", method).tag("route", route).tag("status", String.valueOf(status))
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void pagesRendered(int count) {
        if (count > 0) pages.increment(count);
    }

    public void mailSent() {
        mailsSent.increment();
    }

    /** A failed send attempt; {@code reason} is the ledger's reason code (the part before ':'). */
    public void mailFailed(String reason) {
        String code = reason == null ? "unknown" : reason.split(":", 2)[0].strip();
        Counter.builder(MeterNames.MAILS_FAILED).description("failed send attempts by reason").tag("reason", code)
                .register(registry).increment();
    }

    /** A message of the bounce mailbox read, by outcome (bounced, delayed, unmatched, malformed, other). */
    public void bounceMessage(String outcome) {
        Counter.builder(MeterNames.BOUNCE_MESSAGES).description("messages of the bounce mailbox read, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** Work of {@code queue} (see {@link MeterNames#QUEUE_LETTERS}) taken over from a dead or frozen holder. */
    public void leaseTakeovers(String queue, int count) {
        Counter c = Counter.builder(MeterNames.LEASE_TAKEOVERS).description("work taken over after its lease ran out")
                .tag("queue", queue).register(registry);
        if (count > 0) c.increment(count);
    }

    /** The Prometheus text exposition (format 0.0.4), queue gauges read now. */
    public String scrape() {
        refreshQueues();
        return registry.scrape();
    }

    /** Unhooks the GC listeners (an application closed in a JVM that goes on, as in tests). */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private void refreshQueues() {
        if (sessions == null) return;
        try (SqlSession s = sessions.openSession(true)) {
            queues.replaceAll((k, v) -> 0.0);
            for (QueueMapper.QueueCount c : s.getMapper(QueueMapper.class).counts()) {
                queues.put(c.queue() + "/" + c.state(), (double) c.count());
            }
        }
    }
}
