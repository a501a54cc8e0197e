package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class CompactRocksDbConfigTest {

    @Test
    void shouldBeTheRocksDbConfigOfTheProcessor() {
        Properties props = ProcessorSettings.fromEnv(new Env(Map.of()),
                        SharedSettings.fromEnv(new Env(Map.of()), "127.0.0.1:9092"), "127.0.0.1:8080", Path.of("data"))
                .toProperties();
        assertThat(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(CompactRocksDbConfig.class);
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void shouldCompressWithLz4AndTheBottommostLevelWithZstd() {
        RocksDB.loadLibrary();
        try (Options options = new Options()) {
            new CompactRocksDbConfig().setConfig("counts", options, Map.of());
            assertThat(options.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
            assertThat(options.bottommostCompressionType()).isEqualTo(CompressionType.ZSTD_COMPRESSION);
        }
    }
}
