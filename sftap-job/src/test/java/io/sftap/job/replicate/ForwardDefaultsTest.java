package io.sftap.job.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.job.classify.ForwardDestination;
import io.sftap.job.classify.ForwardRule;
import io.sftap.job.classify.RulesFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link ForwardDefaults}: the rules {@code sftap replicate --to} generates load and mean what they say. */
class ForwardDefaultsTest {
    @Test
    void generatesOneRulePerProtocolToEveryCollector() throws Exception {
        String text = ForwardDefaults.rulesText(List.copyOf(ForwardDefaults.PROTOCOLS.keySet()),
                List.of("198.18.2.1", "198.18.2.2:5514/relay", "[2001:db8:2::1]", "[2001:db8:2::2]:6000/preserve"));
        List<ForwardRule> rules = RulesFile.parse(text, "--to").forwards;
        assertThat(rules).extracting(r -> r.name).containsExactly(
                "syslog", "snmp_trap", "netflow", "ipfix", "sflow");
        assertThat(rules).extracting(r -> r.ports.toString()).containsExactly("514", "162", "2055,9995", "4739", "6343");
        List<ForwardDestination> d = rules.get(0).destinations;
        assertThat(d).extracting(x -> x.addressText).containsExactly("198.18.2.1", "198.18.2.2", "2001:db8:2::1", "2001:db8:2::2");
        assertThat(d).extracting(x -> x.port).containsExactly(0, 5514, 0, 6000);
        assertThat(d).extracting(x -> x.source).containsExactly(ForwardDestination.SourceMode.PRESERVE,
                ForwardDestination.SourceMode.RELAY, ForwardDestination.SourceMode.PRESERVE, ForwardDestination.SourceMode.PRESERVE);
    }

    @Test
    void refusesUnknownProtocolsModesAndMissingCollectors() {
        assertThatThrownBy(() -> ForwardDefaults.rulesText(List.of("gopher"), List.of("198.18.2.1")))
                .hasMessageContaining("unknown protocol 'gopher'").hasMessageContaining("syslog");
        assertThatThrownBy(() -> ForwardDefaults.rulesText(List.of("syslog"), List.of("198.18.2.1/spoof")))
                .hasMessageContaining("preserve or relay");
        assertThatThrownBy(() -> ForwardDefaults.rulesText(List.of("syslog"), List.of()))
                .hasMessageContaining("--to");
    }

    @Test
    void listsTheListenPortsOfAPortSet() {
        assertThat(ForwardDefaults.listenPorts("2055,9995")).containsExactly(2055, 9995);
        assertThat(ForwardDefaults.listenPorts("6343-6345")).containsExactly(6343, 6344, 6345);
        assertThat(ForwardDefaults.listenPorts("any")).isEmpty();
        assertThatThrownBy(() -> ForwardDefaults.listenPorts("1-1000")).hasMessageContaining("--listen");
    }
}
