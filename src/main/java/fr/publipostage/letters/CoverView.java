package fr.publipostage.letters;

import fr.publipostage.templates.TemplateView;
import java.util.List;

/**
 * {@code $cover} in {@code print-cover.vm}: one page of a class's cover sheet. {@code count} is the
 * number of letters of the class in this print; {@code rows} the people listed on this page.
 */
public final class CoverView implements TemplateView {
    private final String className;
    private final int count;
    private final int page;
    private final int pages;
    private final int rowsPerPage;
    private final List<Row> rows;

    public CoverView(String className, int count, int page, int pages, int rowsPerPage, List<Row> rows) {
        this.className = className;
        this.count = count;
        this.page = page;
        this.pages = pages;
        this.rowsPerPage = rowsPerPage;
        this.rows = List.copyOf(rows);
    }

    public String getClassName() {
        return className;
    }

    public int getCount() {
        return count;
    }

    public int getPage() {
        return page;
    }

    public int getPages() {
        return pages;
    }

    public int getRowsPerPage() {
        return rowsPerPage;
    }

    public List<Row> getRows() {
        return rows;
    }

    /** One person on the cover sheet. */
    public static final class Row implements TemplateView {
        private final int number;
        private final String lastName;
        private final String firstName;
        private final String login;
        private final String profile;

        public Row(int number, String lastName, String firstName, String login, String profile) {
            this.number = number;
            this.lastName = lastName;
            this.firstName = firstName;
            this.login = login;
            this.profile = profile;
        }

        public int getNumber() {
            return number;
        }

        public String getLastName() {
            return lastName;
        }

        public String getFirstName() {
            return firstName;
        }

        public String getLogin() {
            return login;
        }

        public String getProfile() {
            return profile;
        }
    }
}
