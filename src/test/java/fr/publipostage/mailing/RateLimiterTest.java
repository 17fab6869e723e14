package fr.publipostage.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void spacesMessagesEvenly() throws Exception {
        RateLimiter limiter = new RateLimiter(600); // one every 100 ms
        List<Long> waits = new ArrayList<>();
        RateLimiter.Sleeper sleeper = nanos -> {
            waits.add(nanos);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            return true;
        };
        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) assertThat(limiter.acquire(sleeper)).isTrue();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).as("6 messages at 10/s take about 500 ms").isBetween(450L, 1500L);
        assertThat(waits).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void noLimitNeverWaitsAndStopsWhenTold() throws Exception {
        RateLimiter none = new RateLimiter(0);
        assertThat(none.unlimited()).isTrue();
        for (int i = 0; i < 1000; i++) assertThat(none.acquire(n -> { throw new AssertionError("no wait"); })).isTrue();
        assertThat(none.slotsWithin(Duration.ofSeconds(1))).isEqualTo(Integer.MAX_VALUE);

        RateLimiter slow = new RateLimiter(1);
        assertThat(slow.acquire(n -> true)).isTrue();
        assertThat(slow.acquire(n -> false)).as("stopping while waiting").isFalse();
        assertThat(new RateLimiter(120).slotsWithin(Duration.ofSeconds(5))).isBetween(10, 11);
    }
}
