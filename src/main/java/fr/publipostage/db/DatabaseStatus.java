package fr.publipostage.db;

/** Whether the database can be used now; when not, when the next attempt to reach it is due. */
public interface DatabaseStatus {
    boolean available();

    /** Seconds until the application tries to reach the database again (at least 1). */
    int retryInSeconds();
}
