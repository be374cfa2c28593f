package io.sftap.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.source.synth.SampleCapture;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the job's operators run: which ones Flink chains into one task. */
class SftapJobTest {
    @TempDir
    Path dir;

    @Test
    void inOneProcessTheSinkRunsChainedToTheFlowAbstractorAtParallelismTwo() throws Exception {
        JobVertex abstractor = vertexOf(jobGraph(true, 2), "flow abstractor");

        assertThat(abstractor.getName()).contains("interface sockets");
        assertThat(abstractor.getParallelism()).isEqualTo(2);
    }

    @Test
    void onAClusterEventsAreShuffledToTheSubtaskThatOwnsTheirSocket() throws Exception {
        JobGraph graph = jobGraph(false, 2);

        assertThat(vertexOf(graph, "flow abstractor").getName()).doesNotContain("interface sockets");
        assertThat(vertexOf(graph, "interface sockets").getInputs()).singleElement()
                .satisfies(edge -> assertThat(edge.getShipStrategyName()).containsIgnoringCase("custom"));
    }

    @Test
    void atParallelismOneTheSinkIsChainedEitherWay() throws Exception {
        assertThat(vertexOf(jobGraph(false, 1), "flow abstractor").getName()).contains("interface sockets");
    }

    private JobGraph jobGraph(boolean oneProcess, int parallelism) throws Exception {
        Path pcap = dir.resolve("sample.pcap");
        SampleCapture.write(pcap);
        SftapJobOptions options = new SftapJobOptions();
        options.pcaps = List.of(pcap);
        options.home = dir.resolve("home");
        SftapJobFactory factory = new SftapJobFactory(options).validate();
        if (oneProcess) {
            factory.inOneProcess();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        factory.create().attach(env);
        return env.getStreamGraph().getJobGraph();
    }

    private static JobVertex vertexOf(JobGraph graph, String operator) {
        return StreamSupport.stream(graph.getVertices().spliterator(), false)
                .filter(v -> v.getName().contains(operator))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task runs " + operator + " in " + graph.getVertices()));
    }
}
