/**
 * {@code ovsj bench limit}: the flow-limit experiment. The real daemon ({@link ovsj.vswitchd.Vswitchd})
 * over an in-process datapath, N offered flows replayed from a pcap port, one flow-limit policy at a
 * time; every revalidator round is recorded ({@link ovsj.cli.bench.LimitTrace}), summarised and
 * plotted ({@link ovsj.cli.bench.LimitPlot}). It lives in {@code cli} rather than {@code bench} because
 * it needs the in-process channel of {@code ovsj run}.
 */
package ovsj.cli.bench;
