package org.loom.service.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpRangeTest {

    @Test
    void aCidrBlockContainsExactlyTheAddressesUnderItsPrefix() throws Exception {
        IpRange range = IpRange.parse("10.1.0.0/17");
        assertThat(range.contains(InetAddress.getByName("10.1.127.255"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("10.1.128.0"))).isFalse();
        assertThat(range.contains(InetAddress.getByName("::ffff:0a01:0001"))).isTrue();
    }

    @Test
    void aBareAddressIsARangeOfOne() throws Exception {
        IpRange range = IpRange.parse(" 127.0.0.1 ");
        assertThat(range.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
    }

    @Test
    void ipv6RangesNeverContainIpv4Addresses() throws Exception {
        IpRange range = IpRange.parse("fd00::/8");
        assertThat(range.contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedWithTheEntryNamed() {
        assertThatThrownBy(() -> IpRange.parse("localhost")).hasMessageContaining("'localhost'");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/x")).hasMessageContaining("prefix");
        assertThat(IpRange.parseAll(List.of("", " ", "192.168.0.0/16"))).hasSize(1);
    }

    @Test
    void internalAddressesCoverPrivateLoopbackLinkLocalAndReservedBlocks() throws Exception {
        for (String internal : List.of("127.0.0.1", "10.2.3.4", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "100.127.255.255", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1",
                "fe80::1", "fd00::1", "::")) {
            assertThat(InternalAddresses.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : List.of("8.8.8.8", "100.128.0.1", "93.184.216.34", "2606:4700::1111")) {
            assertThat(InternalAddresses.isInternal(InetAddress.getByName(external))).as(external).isFalse();
        }
    }
}
