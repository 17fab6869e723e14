package fr.publipostage.metrics;

import java.util.List;

/** Counts of the work queues in the database, for the gauges. SQL in QueueMapper.xml. */
public interface QueueMapper {

    /** queue ('letters' | 'mail'), state, count. */
    record QueueCount(String queue, String state, long count) {
    }

    List<QueueCount> counts();
}
