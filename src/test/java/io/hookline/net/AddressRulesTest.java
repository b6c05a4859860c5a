package io.hookline.net;

import io.hookline.testsupport.UnitTest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@UnitTest
class AddressRulesTest {

    private static Optional<String> reason(String literal) throws Exception {
        return AddressRules.blockedReason(InetAddress.getByName(literal));
    }

    private static void assertBlocked(String... literals) throws Exception {
        for (String a : literals) {
            assertTrue(reason(a).isPresent(), a + " must be blocked");
        }
    }

    private static void assertAllowed(String... literals) throws Exception {
        for (String a : literals) {
            assertEquals(Optional.empty(), reason(a), a + " must be allowed");
        }
    }

    @Test
    void private_loopback_link_local_metadata_and_reserved_addresses_are_blocked() throws Exception {
        assertBlocked(
                "127.0.0.1",
                "127.8.9.10",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "198.18.0.1",
                "240.0.0.1",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd00:ec2::254",
                "::ffff:10.0.0.1",
                "::ffff:127.0.0.1",
                "64:ff9b::a00:1");
    }

    @Test
    void every_block_of_the_iana_ipv4_special_purpose_registry_is_blocked_at_both_ends() throws Exception {
        // first and last address of each block (IANA IPv4 Special-Purpose Address Registry), and multicast
        assertBlocked(
                "0.0.0.0",
                "0.255.255.255",
                "10.0.0.0",
                "10.255.255.255",
                "100.64.0.0",
                "100.127.255.255",
                "127.0.0.0",
                "127.255.255.255",
                "169.254.0.0",
                "169.254.255.255",
                "172.16.0.0",
                "172.31.255.255",
                "192.0.0.0",
                "192.0.0.255",
                "192.0.0.9",
                "192.0.0.170",
                "192.0.2.0",
                "192.0.2.255",
                "192.31.196.0",
                "192.31.196.255",
                "192.52.193.0",
                "192.52.193.255",
                "192.88.99.0",
                "192.88.99.255",
                "192.168.0.0",
                "192.168.255.255",
                "192.175.48.0",
                "192.175.48.255",
                "198.18.0.0",
                "198.19.255.255",
                "198.51.100.0",
                "198.51.100.255",
                "203.0.113.0",
                "203.0.113.255",
                "224.0.0.0",
                "239.255.255.255",
                "240.0.0.0",
                "255.255.255.255");
    }

    @Test
    void the_neighbours_of_the_ipv4_blocks_are_public_and_allowed() throws Exception {
        assertAllowed(
                "1.0.0.0",
                "9.255.255.255",
                "11.0.0.0",
                "100.63.255.255",
                "100.128.0.0",
                "126.255.255.255",
                "128.0.0.0",
                "169.253.255.255",
                "169.255.0.0",
                "172.15.255.255",
                "172.32.0.0",
                "192.0.1.0",
                "192.0.3.0",
                "192.88.98.255",
                "192.88.100.0",
                "192.167.255.255",
                "192.169.0.0",
                "198.17.255.255",
                "198.20.0.0",
                "198.51.99.255",
                "198.51.101.0",
                "203.0.112.255",
                "203.0.114.0",
                "223.255.255.255",
                "8.8.8.8",
                "1.1.1.1");
    }

    @Test
    void every_block_of_the_iana_ipv6_special_purpose_registry_and_non_global_space_is_blocked() throws Exception {
        assertBlocked(
                "::1",
                "::",
                "64:ff9b:1::",
                "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
                "100::",
                "100::ffff:ffff:ffff:ffff",
                "100:0:0:1::1",
                "2001::",
                "2001:1::1",
                "2001:1::2",
                "2001:2::1",
                "2001:3::1",
                "2001:4:112::1",
                "2001:10::1",
                "2001:20::1",
                "2001:30::1",
                "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:db8::",
                "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
                "2002::",
                "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "2620:4f:8000::1",
                "3fff::1",
                "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff",
                "5f00::1",
                "fc00::",
                "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "fe80::",
                "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "fec0::1",
                "ff02::1",
                "ff0e::1");
        // outside global unicast (2000::/3): reserved by the IETF, never routed to a receiver
        assertBlocked("200::1", "4000::1", "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "e000::1");
    }

    @Test
    void global_unicast_ipv6_outside_the_special_blocks_is_allowed() throws Exception {
        assertAllowed(
                "2606:4700:4700::1111",
                "2a00:1450:4001:800::200e",
                "2001:200::1",
                "2003::1",
                "2620:4f:8001::1",
                "3ffe:ffff::1",
                "2001:db9::1");
    }

    @Test
    void ipv4_mapped_translated_compatible_and_nat64_forms_are_judged_by_the_embedded_ipv4_address() throws Exception {
        // Java parses ::ffff:a.b.c.d into an Inet4Address; an Inet6Address holding the same bytes must be judged alike
        byte[] mappedLoopback = InetAddress.getByName("::ffff:7f00:1").getAddress();
        assertEquals(4, mappedLoopback.length, "the JDK turned the mapped form into IPv4");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {127, 0, 0, 1}, 0, mapped, 12, 4);
        Optional<String> loopback = AddressRules.blockedReason(Inet6Address.getByAddress(null, mapped, -1));
        assertTrue(
                loopback.orElse("").contains("IPv4-mapped") && loopback.get().contains("loopback"),
                loopback.toString());
        System.arraycopy(new byte[] {8, 8, 8, 8}, 0, mapped, 12, 4);
        assertEquals(Optional.empty(), AddressRules.blockedReason(Inet6Address.getByAddress(null, mapped, -1)));

        assertBlocked(
                "::ffff:0:7f00:1",
                "::ffff:0:a00:1",
                "::ffff:0:a9fe:a9fe",
                "::a00:1",
                "::7f00:1",
                "::a9fe:a9fe",
                "64:ff9b::7f00:1",
                "64:ff9b::a9fe:a9fe",
                "64:ff9b::c000:201",
                "64:ff9b::e000:1");
        assertAllowed("::ffff:0:808:808", "::808:808", "64:ff9b::808:808", "64:ff9b::101:101");
        assertTrue(
                reason("64:ff9b::a9fe:a9fe").orElseThrow().startsWith("NAT64 form (64:ff9b::/96) of a link-local"),
                reason("64:ff9b::a9fe:a9fe").toString());
    }

    @Test
    void sixto4_and_teredo_addresses_are_refused_outright_even_when_they_embed_a_public_ipv4_address()
            throws Exception {
        // 2002:0808:0808::1 embeds 8.8.8.8; 2001:0:4136:e378:8000:63bf:3fff:fdd2 is RFC 4380's Teredo example
        assertEquals(Optional.of("6to4 address (2002::/16)"), reason("2002:808:808::1"));
        assertEquals(Optional.of("6to4 address (2002::/16)"), reason("2002:7f00:1::1"));
        assertEquals(Optional.of("Teredo address (2001::/32)"), reason("2001:0:4136:e378:8000:63bf:3fff:fdd2"));
    }

    @Test
    void a_reason_names_the_block_and_its_range() throws Exception {
        assertEquals(Optional.of("documentation address (192.0.2.0/24)"), reason("192.0.2.1"));
        assertEquals(Optional.of("shared (carrier-grade NAT) address (100.64.0.0/10)"), reason("100.100.100.100"));
        assertEquals(Optional.of("documentation address (2001:db8::/32)"), reason("2001:db8::1"));
        assertEquals(Optional.of("benchmarking address (2001:2::/48)"), reason("2001:2::1"));
        assertEquals(Optional.of("link-local or metadata address (169.254.0.0/16)"), reason("169.254.169.254"));
        assertFalse(reason("4000::1").isEmpty());
    }
}
