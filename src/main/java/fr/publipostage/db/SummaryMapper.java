package fr.publipostage.db;

/** How much the database holds, for the operator's check after a backup or a restore. */
public interface SummaryMapper {
    record Summary(long structures, long accounts, long campaigns, long ledgerRows) {
    }

    Summary summary();
}
