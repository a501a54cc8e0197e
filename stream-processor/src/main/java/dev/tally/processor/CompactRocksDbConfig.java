package dev.tally.processor;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

/**
 * Compresses the processor's RocksDB files. Kafka Streams leaves them uncompressed, which costs tally ~26 bytes
 * per counter on disk for a 13-byte key and a ~7-byte value; at billions of posts that is what tally pays for.
 * LZ4 on the upper levels keeps flushes and compactions cheap; ZSTD on the bottommost level, where nearly all data
 * ends up and which is rewritten least, buys the most space. Counter keys (post id first) and values are short and
 * alike from one to the next, so they compress well.
 */
public final class CompactRocksDbConfig implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setCompressionType(CompressionType.LZ4_COMPRESSION);
        options.setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was allocated here: the compression types are enum values, not native objects.
    }
}
