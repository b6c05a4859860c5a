package io.hookline.service;

import io.hookline.contract.Text;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the event feed: after the event {@code id} inserted by transaction {@code xid}, in the feed's order
 * (xid, id). An empty id is the position before every event of that transaction: the cursor the feed hands out when
 * it has read everything below its horizon. On the wire it is opaque: base64url (no padding) of {@code "xid.id"}.
 *
 * @param xid the inserting transaction's id (PostgreSQL xid8, below 2^63 in practice)
 * @param id  an event id, or "" for "before every event of {@code xid}"
 */
public record FeedCursor(long xid, String id) {
    /** Before every event: where a consumer without a cursor starts. */
    public static final FeedCursor START = new FeedCursor(0, "");
    /** Longest cursor accepted on input: 19 digits, a dot and an id of {@link Text#MAX_ID}, in base64. */
    public static final int MAX_LENGTH = 4 * ((19 + 1 + Text.MAX_ID + 2) / 3);

    private static final Pattern WIRE = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");
    private static final Pattern DECODED =
            Pattern.compile("(0|[1-9][0-9]{0,18})\\.([0-9A-Za-z_]{0," + Text.MAX_ID + "})");

    public String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((xid + "." + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor {@code text} encodes, or empty when it is not one this feed could have handed out. */
    public static Optional<FeedCursor> decode(String text) {
        if (text == null || !WIRE.matcher(text).matches()) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Matcher m = DECODED.matcher(decoded);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FeedCursor(Long.parseLong(m.group(1)), m.group(2)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // 19 digits above 2^63 - 1
        }
    }
}
