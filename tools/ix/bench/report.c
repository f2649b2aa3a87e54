// SPDX-License-Identifier: GPL-2.0
/*
 * ix_load's output: the progress line on stderr, and the final summary
 * as text or, with -j, as one JSON object on stdout (fields: README.md).
 */

#include <arpa/inet.h>
#include <stdio.h>

#include "kv.h"
#include "util.h"
#include "workload.h"

const char *const err_names[ERR_MAX] = {
	[ERR_CONNECT]	= "connect",
	[ERR_RESET]	= "reset",
	[ERR_VERIFY]	= "verify",
	[ERR_TIMEOUT]	= "timeout",
	[ERR_PROTOCOL]	= "protocol",
	[ERR_SERVER]	= "server",
	[ERR_DROPPED]	= "dropped",
	[ERR_LOST]	= "lost",
};

static uint64_t err_total(const uint64_t *err)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < ERR_MAX; i++)
		sum += err[i];
	return sum;
}

/*
 * The answers since the last call (a second ago), returned; with @show,
 * also as a line on stderr with the connections up and the errors.
 */
uint64_t report_progress(const struct cfg *cfg, struct thr *thr, double t,
			 uint64_t *last, bool show)
{
	uint64_t done = 0, up = 0, err[ERR_MAX] = { 0 }, delta;
	unsigned int i, k;

	for (i = 0; i < cfg->threads; i++) {
		done += STAT_READ(thr[i].st.completed);
		up += STAT_READ(thr[i].st.up);
		for (k = 0; k < ERR_MAX; k++)
			err[k] += STAT_READ(thr[i].st.err[k]);
	}
	delta = done - *last;
	*last = done;
	if (show)
		fprintf(stderr, "ix_load: %5.0f s %12llu req/s  up %llu/%u  errors %llu\n",
			t, (unsigned long long)delta, (unsigned long long)up,
			cfg->conns, (unsigned long long)err_total(err));
	return delta;
}

static double us(uint64_t ns)
{
	return ns / 1000.0;
}

static const char *mode_name(const struct cfg *cfg)
{
	return cfg->rate ? "open" : "closed";
}

static void report_text(const struct cfg *cfg, const struct stats *st,
			double elapsed)
{
	const struct hist *h = &st->lat;
	char dst[32];
	int i;

	printf("ix_load: %s%s%s to %s, %s loop", cfg->wl->name,
	       cfg->kv ? " " : "", cfg->kv ? cfg->kv->name : "",
	       fmt_sin(&cfg->dst, dst, sizeof(dst)), mode_name(cfg));
	if (cfg->rate)
		printf(" at %.0f req/s", cfg->rate);
	else
		printf(" depth %u", cfg->depth);
	printf(", %u connections (%llu up) on %u thread%s",
	       cfg->conns, (unsigned long long)st->up_initial, cfg->threads,
	       cfg->threads == 1 ? "" : "s");
	if (cfg->procs > 1)
		printf(" in %u processes", cfg->procs);
	printf(", %.2f s measured after %.2f s warmup\n", elapsed,
	       cfg->warmup);
	printf("  requests   %llu (%.0f req/s), tx %llu B, rx %llu B\n",
	       (unsigned long long)st->done, elapsed ? st->done / elapsed : 0,
	       (unsigned long long)st->tx_bytes,
	       (unsigned long long)st->rx_bytes);
	printf("  latency us min %.1f  mean %.1f  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
	       us(h->n ? h->min : 0), hist_mean(h) / 1000,
	       us(hist_quantile(h, 0.5)), us(hist_quantile(h, 0.9)),
	       us(hist_quantile(h, 0.99)), us(hist_quantile(h, 0.999)),
	       us(h->max));
	if (cfg->rate)
		printf("  send lag us mean %.1f  max %.1f (client behind its schedule)\n",
		       st->lag_n ? us(st->lag_sum / st->lag_n) : 0,
		       us(st->lag_max));
	if (cfg->wl->kv) {
		printf("  memcached  gets %llu  sets %llu  hits %llu  misses %llu",
		       (unsigned long long)st->gets,
		       (unsigned long long)st->sets,
		       (unsigned long long)st->hits,
		       (unsigned long long)st->misses);
		if (cfg->preload)
			printf("  preload %llu stored, %llu failed",
			       (unsigned long long)st->preload_ok,
			       (unsigned long long)st->preload_fail);
		printf("\n");
	}
	printf("  client     %.2f s of CPU for %llu requests in all phases\n",
	       st->cpu_s, (unsigned long long)st->completed);
	printf("  errors    ");
	for (i = 0; i < ERR_MAX; i++)
		printf(" %s %llu", err_names[i],
		       (unsigned long long)st->err[i]);
	printf("\n");
}

static void report_json(const struct cfg *cfg, const struct stats *st,
			const struct run *run, double elapsed)
{
	const struct hist *h = &st->lat;
	char host[INET_ADDRSTRLEN];
	unsigned int i;

	inet_ntop(AF_INET, &cfg->dst.sin_addr, host, sizeof(host));
	printf("{\n  \"tool\": \"ix_load\",\n  \"workload\": \"%s\",\n",
	       cfg->wl->name);
	printf("  \"profile\": \"%s\",\n", cfg->kv ? cfg->kv->name : "");
	printf("  \"mode\": \"%s\",\n  \"host\": \"%s\",\n  \"port\": %u,\n",
	       mode_name(cfg), host, ntohs(cfg->dst.sin_port));
	printf("  \"conns\": %u,\n  \"threads\": %u,\n  \"procs\": %u,\n",
	       cfg->conns, cfg->threads, cfg->procs);
	printf("  \"depth\": %u,\n", cfg->depth);
	printf("  \"rate\": %.1f,\n  \"size\": %u,\n  \"keys\": %llu,\n",
	       cfg->rate, cfg->size, (unsigned long long)cfg->keys);
	printf("  \"sources\": %u,\n  \"warmup_s\": %.3f,\n  \"duration_s\": %.3f,\n",
	       cfg->nsrc, cfg->warmup, elapsed);
	printf("  \"conns_up\": %llu,\n  \"conns_up_end\": %llu,\n",
	       (unsigned long long)st->up_initial,
	       (unsigned long long)st->up_end);
	printf("  \"requests\": %llu,\n  \"throughput_rps\": %.1f,\n",
	       (unsigned long long)st->done, elapsed ? st->done / elapsed : 0);
	printf("  \"completed\": %llu,\n  \"client_cpu_s\": %.3f,\n",
	       (unsigned long long)st->completed, st->cpu_s);
	printf("  \"tx_bytes\": %llu,\n  \"rx_bytes\": %llu,\n  \"max_outstanding\": %llu,\n",
	       (unsigned long long)st->tx_bytes,
	       (unsigned long long)st->rx_bytes,
	       (unsigned long long)st->max_outstanding);
	printf("  \"latency_us\": {\"samples\": %llu, \"min\": %.3f, \"mean\": %.3f, ",
	       (unsigned long long)h->n, us(h->n ? h->min : 0),
	       hist_mean(h) / 1000);
	printf("\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"p999\": %.3f, ",
	       us(hist_quantile(h, 0.5)), us(hist_quantile(h, 0.9)),
	       us(hist_quantile(h, 0.99)), us(hist_quantile(h, 0.999)));
	printf("\"max\": %.3f, \"over_100s\": %llu},\n", us(h->max),
	       (unsigned long long)h->overflow);
	printf("  \"send_lag_us\": {\"mean\": %.3f, \"max\": %.3f},\n",
	       st->lag_n ? us(st->lag_sum / st->lag_n) : 0, us(st->lag_max));
	printf("  \"memcached\": {\"gets\": %llu, \"sets\": %llu, ",
	       (unsigned long long)st->gets, (unsigned long long)st->sets);
	printf("\"hits\": %llu, \"misses\": %llu, ",
	       (unsigned long long)st->hits, (unsigned long long)st->misses);
	printf("\"preload_stored\": %llu, \"preload_failed\": %llu},\n",
	       (unsigned long long)st->preload_ok,
	       (unsigned long long)st->preload_fail);
	printf("  \"per_second\": [");
	for (i = 0; i < run->nsecs; i++)
		printf("%s%u", i ? ", " : "", run->per_sec[i]);
	printf("],\n");
	printf("  \"errors\": {");
	for (i = 0; i < ERR_MAX; i++)
		printf("\"%s\": %llu, ", err_names[i],
		       (unsigned long long)st->err[i]);
	printf("\"total\": %llu}\n}\n", (unsigned long long)err_total(st->err));
}

void report_final(const struct cfg *cfg, const struct stats *st,
		  const struct run *run, double elapsed)
{
	if (cfg->json)
		report_json(cfg, st, run, elapsed);
	else
		report_text(cfg, st, elapsed);
	fflush(stdout);
}
