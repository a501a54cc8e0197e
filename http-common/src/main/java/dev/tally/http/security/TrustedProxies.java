package dev.tally.http.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client address of a request: the TCP peer, unless the peer is one of the proxies in
 * {@code TALLY_TRUSTED_PROXIES} (CIDRs such as {@code 10.0.0.0/8,::1/128}), in which case {@code X-Forwarded-For} is
 * read from the right: each proxy appends the address it received the request from, so the rightmost address that
 * is not itself a trusted proxy is the client. Everything left of it was written by the client and proves nothing.
 * With no trusted proxies the header is ignored, so nobody can choose the address their rate limit is counted on.
 */
public final class TrustedProxies {

    /** Only literal addresses: a name here would mean a DNS lookup per request. */
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private final List<Cidr> cidrs;

    private TrustedProxies(List<Cidr> cidrs) {
        this.cidrs = List.copyOf(cidrs);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** Comma-separated CIDRs; a bare address means that one address. Throws naming the bad entry. */
    public static TrustedProxies parse(String list) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                cidrs.add(Cidr.parse(trimmed));
            }
        }
        return new TrustedProxies(cidrs);
    }

    public boolean isEmpty() {
        return cidrs.isEmpty();
    }

    public boolean trusts(String address) {
        InetAddress parsed = literal(address);
        return parsed != null && cidrs.stream().anyMatch(cidr -> cidr.contains(parsed));
    }

    /** The client's address, from the peer's and, only if the peer is trusted, the X-Forwarded-For header. */
    public String clientAddress(String peer, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !trusts(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (literal(hop) == null) {
                return client; // garbage from the client's side: the last trusted hop's sender is all we know
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
    }

    private static InetAddress literal(String address) {
        if (address == null || address.isEmpty() || address.length() > 45 || !LITERAL.matcher(address).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            InetAddress address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException("TALLY_TRUSTED_PROXIES: " + text + " is not an address or CIDR");
            }
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("TALLY_TRUSTED_PROXIES: bad prefix length in " + text);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("TALLY_TRUSTED_PROXIES: prefix of " + text + " must be 0 to " + bits);
            }
            return new Cidr(address.getAddress(), prefix);
        }

        boolean contains(InetAddress candidate) {
            byte[] bytes = candidate.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            if (!Arrays.equals(bytes, 0, full, network, 0, full)) {
                return false;
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
