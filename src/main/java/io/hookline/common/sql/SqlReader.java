package io.hookline.common.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a statement file the way psql does: {@code :name} is a parameter; {@code ::type} casts, string literals
 * ({@code '…'}, {@code E'…'}, {@code $tag$…$tag$}), quoted identifiers and comments ({@code --}, nested
 * {@code /* … *}{@code /}) are not. Comments are dropped from the text sent to the server; one trailing {@code ;} is
 * allowed (psql's {@code \i} wants it) and dropped. A {@code ?} or {@code $1} outside quotes is refused, so a file
 * has one way to name a parameter; every refusal names the file and the line. Stateless.
 */
final class SqlReader {
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");

    private SqlReader() {}

    /**
     * A statement cut at its parameters: {@code pieces} holds the text between them (one more than there are
     * parameters), {@code occurrences} each parameter's name in order (a name used twice appears twice).
     */
    record Parts(List<String> pieces, List<String> occurrences) {}

    /** Splits {@code text} at its parameters; {@code name} is used in error messages. */
    static Parts read(String name, String text) {
        List<String> pieces = new ArrayList<>();
        List<String> occurrences = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        boolean ended = false;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char ch = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : '\0';
            if (ch == '-' && next == '-') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? n : eol;
                continue;
            }
            if (ch == '/' && next == '*') {
                i = endOfBlockComment(name, text, i);
                piece.append(' ');
                continue;
            }
            if (ended) {
                if (!Character.isWhitespace(ch)) {
                    throw malformed(name, text, i, "one statement per file: text after the ';'");
                }
                i++;
                continue;
            }
            int end;
            Matcher tag = ch == '$' ? DOLLAR_TAG.matcher(text).region(i, n) : null;
            if (ch == '\'') {
                end = endOfString(name, text, i, isEscapeString(text, i));
            } else if (ch == '"') {
                end = endOfQuoted(name, text, i, '"');
            } else if (tag != null && !(i > 0 && isIdentifierPart(text.charAt(i - 1))) && tag.lookingAt()) {
                int close = text.indexOf(tag.group(), tag.end());
                if (close < 0) {
                    throw malformed(name, text, i, "unterminated dollar-quoted string " + tag.group());
                }
                end = close + tag.group().length();
            } else if (ch == ':' && next == ':') {
                end = i + 2;
            } else if (ch == ':' && isIdentifierStart(next)) {
                int j = i + 1;
                while (j < n && isNamePart(text.charAt(j))) {
                    j++;
                }
                pieces.add(piece.toString());
                piece.setLength(0);
                occurrences.add(text.substring(i + 1, j));
                i = j;
                continue;
            } else if (ch == ':' && (next == '\'' || next == '"')) {
                throw malformed(
                        name, text, i, "psql's quoting forms :'name' and :\"name\" are not supported; use :name");
            } else if (ch == '?') {
                throw malformed(name, text, i, "'?' is not a parameter here; name it (:name)");
            } else if (ch == '$' && Character.isDigit(next)) {
                throw malformed(name, text, i, "positional parameters ($1) are not supported; name it (:name)");
            } else if (ch == ';') {
                ended = true;
                i++;
                continue;
            } else {
                end = i + 1;
            }
            piece.append(text, i, end);
            i = end;
        }
        pieces.add(piece.toString());
        pieces.set(0, pieces.get(0).stripLeading());
        pieces.set(pieces.size() - 1, pieces.get(pieces.size() - 1).stripTrailing());
        if (occurrences.isEmpty() && pieces.get(0).isEmpty()) {
            throw new IllegalStateException(name + " holds no statement");
        }
        return new Parts(pieces, occurrences);
    }

    private static int endOfBlockComment(String name, String text, int start) {
        int depth = 0;
        int i = start;
        while (i < text.length() - 1) {
            if (text.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw malformed(name, text, start, "unterminated /* comment");
    }

    /** A string literal {@code '…'} ({@code ''} is a quote); in an E'…' string a backslash escapes too. */
    private static int endOfString(String name, String text, int start, boolean backslashEscapes) {
        int i = start + 1;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (backslashEscapes && ch == '\\') {
                i += 2;
            } else if (ch == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw malformed(name, text, start, "unterminated string literal");
    }

    private static int endOfQuoted(String name, String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw malformed(name, text, start, "unterminated quoted identifier");
    }

    private static boolean isEscapeString(String text, int quote) {
        return quote > 0
                && (text.charAt(quote - 1) == 'E' || text.charAt(quote - 1) == 'e')
                && (quote == 1 || !isIdentifierPart(text.charAt(quote - 2)));
    }

    private static boolean isIdentifierStart(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
    }

    /** A psql variable name: letters, digits, underscores. */
    private static boolean isNamePart(char ch) {
        return isIdentifierStart(ch) || (ch >= '0' && ch <= '9');
    }

    /** A SQL identifier may also hold '$' (so {@code a$b$} is no dollar quote). */
    private static boolean isIdentifierPart(char ch) {
        return isNamePart(ch) || ch == '$';
    }

    private static IllegalStateException malformed(String name, String text, int at, String problem) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return new IllegalStateException(name + ", line " + line + ": " + problem);
    }
}
