package fr.publipostage.mailing;

import fr.publipostage.App;
import java.util.concurrent.atomic.AtomicReference;

/** Watches a campaign while it runs: it must never be 'finished' while a row is pending or sending. */
final class FinishWatcher implements AutoCloseable {
    private final AtomicReference<String> violation = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    FinishWatcher(App app, long campaignId) {
        thread = new Thread(() -> {
            while (!stop) {
                try {
                    // Status first, counts after: a 'finished' seen before rows that are still unfinished is a bug.
                    CampaignProgress p = app.campaigns().progress(campaignId);
                    if (p.campaign().status() == Campaign.Status.finished && p.counts().unfinished() > 0) {
                        violation.compareAndSet(null, "finished with " + p.counts());
                    }
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The test's database is closing.
                    return;
                }
            }
        }, "finish-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Null when the campaign was never seen finished too early. */
    String violation() {
        return violation.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(2000);
    }
}
