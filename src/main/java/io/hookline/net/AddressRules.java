package io.hookline.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a webhook may never reach unless private networks are allowed: loopback, private (RFC 1918, RFC
 * 4193), shared (RFC 6598), link-local (and with it the cloud metadata address 169.254.169.254), unspecified,
 * multicast, benchmarking and reserved ranges. Used at registration on literal addresses and at send time on every
 * address DNS returns. This class is stateless and threadsafe.
 */
public final class AddressRules {
    private AddressRules() {
    }

    /** Why the address is refused, or empty when it is a public unicast address. */
    public static Optional<String> blockedReason(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback address");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local or metadata address");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast address");
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return Optional.of("reserved address (0.0.0.0/8)");
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return Optional.of("shared address (100.64.0.0/10)");
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return Optional.of("benchmarking address (198.18.0.0/15)");
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return Optional.of("IETF protocol address (192.0.0.0/24)");
            }
            if (first >= 240) {
                return Optional.of("reserved address (240.0.0.0/4)");
            }
        } else if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return Optional.of("private address (fc00::/7)");
            }
            if (isIpv4Embedded(b)) {
                try {
                    return blockedReason(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (java.net.UnknownHostException e) {
                    return Optional.of("malformed address");
                }
            }
        }
        return Optional.empty();
    }

    /** IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) forms, which reach an IPv4 address. */
    private static boolean isIpv4Embedded(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 12; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        return zeroPrefix || nat64;
    }
}
