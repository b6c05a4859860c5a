package io.hookline.net;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a webhook may never reach unless private networks are allowed. Used at registration on literal
 * addresses and at send time on every address DNS returns. This class is stateless and threadsafe.
 * <p>
 * The rule: every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries (as of 2025-10) is refused,
 * plus multicast, and for IPv6 everything outside global unicast (2000::/3). Refused whole, also the few registry
 * entries marked "globally reachable" (AS112 DNS sinks, AMT relays, the PCP/TURN anycast addresses inside
 * 192.0.0.0/24 and 2001::/23, ORCHIDv2): none of them is where a webhook receiver lives, and one rule per registry
 * block is easy to check against the registry.
 * <p>
 * IPv6 forms that carry an IPv4 address:
 * <ul>
 * <li>IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96), IPv4-compatible (::/96, deprecated) and the
 * NAT64 well-known prefix (64:ff9b::/96): the embedded IPv4 address is judged. A connection to them reaches that
 * IPv4 host (directly, or through the network's translator), so they are as safe as the IPv4 address is; NAT64 is how
 * IPv6-only networks reach public IPv4 receivers.</li>
 * <li>Local-use NAT64 (64:ff9b:1::/48): refused outright; where the IPv4 address sits depends on the operator's prefix
 * length, and the translator is a local one.</li>
 * <li>6to4 (2002::/16) and Teredo (2001::/32): refused outright. Both are relayed to their IPv4 endpoint through
 * anycast relays, 6to4 is deprecated (RFC 7526), Teredo hides its client address (XOR-ed), and no receiver should be
 * reachable only that way.</li>
 * </ul>
 */
public final class AddressRules {
    private static final List<Block> IPV4 = List.of(
            Block.of("0.0.0.0/8", "\"this network\" address"),
            Block.of("10.0.0.0/8", "private address"),
            Block.of("100.64.0.0/10", "shared (carrier-grade NAT) address"),
            Block.of("127.0.0.0/8", "loopback address"),
            Block.of("169.254.0.0/16", "link-local or metadata address"),
            Block.of("172.16.0.0/12", "private address"),
            Block.of("192.0.0.0/24", "IETF protocol address"),
            Block.of("192.0.2.0/24", "documentation address"),
            Block.of("192.31.196.0/24", "AS112 DNS sink address"),
            Block.of("192.52.193.0/24", "AMT relay address"),
            Block.of("192.88.99.0/24", "deprecated 6to4 relay address"),
            Block.of("192.168.0.0/16", "private address"),
            Block.of("192.175.48.0/24", "AS112 DNS sink address"),
            Block.of("198.18.0.0/15", "benchmarking address"),
            Block.of("198.51.100.0/24", "documentation address"),
            Block.of("203.0.113.0/24", "documentation address"),
            Block.of("224.0.0.0/4", "multicast address"),
            // includes the limited broadcast address 255.255.255.255
            Block.of("240.0.0.0/4", "reserved address"));

    private static final List<Block> IPV4_CARRIERS = List.of(
            Block.of("::ffff:0:0:0/96", "IPv4-translated form"),
            Block.of("::/96", "IPv4-compatible form"),
            Block.of("64:ff9b::/96", "NAT64 form"));

    // more specific blocks first, so the message names the most precise one; checked before the IPv4 carriers,
    // which contain ::1 and ::
    private static final List<Block> IPV6 = List.of(
            Block.of("::1/128", "loopback address"),
            Block.of("::/128", "unspecified address"),
            Block.of("64:ff9b:1::/48", "local-use NAT64 address"),
            Block.of("100::/64", "discard-only address"),
            Block.of("100:0:0:1::/64", "dummy address"),
            Block.of("2001::/32", "Teredo address"),
            Block.of("2001:2::/48", "benchmarking address"),
            Block.of("2001::/23", "IETF protocol address"),
            Block.of("2001:db8::/32", "documentation address"),
            Block.of("2002::/16", "6to4 address"),
            Block.of("2620:4f:8000::/48", "AS112 DNS sink address"),
            Block.of("3fff::/20", "documentation address"),
            Block.of("5f00::/16", "SRv6 segment identifier"),
            Block.of("fc00::/7", "private address"),
            Block.of("fe80::/10", "link-local address"),
            Block.of("fec0::/10", "deprecated site-local address"),
            Block.of("ff00::/8", "multicast address"));

    private static final Block GLOBAL_UNICAST = Block.of("2000::/3", "global unicast");

    private AddressRules() {}

    /** Why the address is refused, or empty when it is a public unicast address. */
    public static Optional<String> blockedReason(InetAddress address) {
        if (address instanceof Inet4Address) {
            return first(IPV4, address);
        }
        Optional<String> special = first(IPV6, address);
        if (special.isPresent()) {
            return special;
        }
        byte[] b = address.getAddress();
        if (isIpv4Mapped(b)) {
            return embedded(b).map(reason -> "IPv4-mapped form (::ffff:0:0/96) of a " + reason);
        }
        for (Block carrier : IPV4_CARRIERS) {
            if (carrier.contains(address)) {
                return embedded(b).map(reason -> carrier.reason() + " of a " + reason);
            }
        }
        if (GLOBAL_UNICAST.contains(address)) {
            return Optional.empty();
        }
        return Optional.of("reserved address (outside global unicast 2000::/3)");
    }

    private static Optional<String> first(List<Block> blocks, InetAddress address) {
        return blocks.stream()
                .filter(block -> block.contains(address))
                .map(Block::reason)
                .findFirst();
    }

    /** Java turns ::ffff:a.b.c.d into an Inet4Address when parsing, but an Inet6Address may still hold the form. */
    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static Optional<String> embedded(byte[] ipv6) {
        try {
            return blockedReason(InetAddress.getByAddress(Arrays.copyOfRange(ipv6, 12, 16)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /**
     * A CIDR block and why it is refused. Compared byte by byte rather than with Netty's IpSubnetFilterRule, whose
     * IPv6 match also accepts every address whose masked bits are all ones (e000::1 "is in" 2000::/3).
     */
    private record Block(byte[] prefix, int bits, String reason) {
        static Block of(String cidr, String name) {
            int slash = cidr.indexOf('/');
            // NetUtil keeps ::ffff:0:0 as 16 bytes, where InetAddress would turn it into 0.0.0.0
            byte[] prefix = NetUtil.createByteArrayFromIpAddressString(cidr.substring(0, slash));
            return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)), name + " (" + cidr + ")");
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (a[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
