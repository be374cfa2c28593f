package io.sftap.job.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sftap.job.cli.SftapCli;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The control socket protocol over a real UNIX socket, and {@code sftap rules push}. */
class RulesControlServerTest {
    @TempDir
    Path home;

    @Test
    void pushedRulesAreValidatedVersionedAndQueued() throws IOException {
        RulesIntake intake = new RulesIntake(RulesSplit.initial(), () -> {});
        Path socket = home.resolve(RulesControlServer.SOCKET_NAME);
        try (RulesControlServer server = new RulesControlServer(socket, intake)) {
            assertThat(RulesControlClient.push(socket, RulesIntakeTest.BAD, "/etc/bad.yaml"))
                    .matches("ERROR /etc/bad\\.yaml:7: rule 'broken': .+");
            assertThat(RulesControlClient.push(socket, RulesIntakeTest.GOOD, "/etc/good.yaml")).isEqualTo("OK v1");
            assertThat(RulesControlClient.end(socket, 0, 1)).isEqualTo("OK end 0/1");
        }
        RulesSplit queued = intake.poll();
        assertThat(queued.sourceName).isEqualTo("/etc/good.yaml");
        assertThat(queued.origin).isEqualTo(RulesSplit.Origin.PUSH);
        assertThat(intake.capturesEnded()).isTrue();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveServerIsNot() throws IOException {
        Path socket = home.resolve(RulesControlServer.SOCKET_NAME);
        RulesIntake intake = new RulesIntake(RulesSplit.initial(), () -> {});
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (RulesControlServer server = new RulesControlServer(socket, intake)) {
            assertThat(RulesControlClient.push(socket, RulesIntakeTest.GOOD, "a")).isEqualTo("OK v1");
            assertThatThrownBy(() -> new RulesControlServer(socket, intake)).hasMessageContaining("another sftap job");
        }
    }

    @Test
    void rulesPushExitsTwoOnAnInvalidFileOneWithoutAJobZeroWhenTaken() throws IOException {
        Path bad = Files.writeString(home.resolve("bad.yaml"), RulesIntakeTest.BAD);
        Path good = Files.writeString(home.resolve("good.yaml"), RulesIntakeTest.GOOD);
        CommandLine cli = new CommandLine(new SftapCli());
        assertThat(cli.execute("rules", "push", bad.toString(), "--home", home.toString())).isEqualTo(2);
        assertThat(cli.execute("rules", "push", good.toString(), "--home", home.toString())).isEqualTo(1);
        RulesIntake intake = new RulesIntake(RulesSplit.initial(), () -> {});
        try (RulesControlServer server = new RulesControlServer(home.resolve(RulesControlServer.SOCKET_NAME), intake)) {
            assertThat(cli.execute("rules", "push", good.toString(), "--home", home.toString())).isZero();
        }
        assertThat(intake.poll().text).startsWith(RulesIntakeTest.GOOD);
    }
}
