package io.hookline.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRulesTest {

    private static boolean blocked(String literal) throws Exception {
        return AddressRules.blockedReason(InetAddress.getByName(literal)).isPresent();
    }

    @Test
    void private_loopback_link_local_metadata_and_reserved_addresses_are_blocked() throws Exception {
        for (String a : new String[] { "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "198.18.0.1", "240.0.0.1",
                "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
                "64:ff9b::a00:1" }) {
            assertTrue(blocked(a), a + " must be blocked");
        }
    }

    @Test
    void public_addresses_are_allowed() throws Exception {
        for (String a : new String[] { "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
                "64:ff9b::808:808" }) {
            assertFalse(blocked(a), a + " must be allowed");
        }
    }
}
