// SPDX-License-Identifier: GPL-2.0
/*
 * ix apply [--check] FILE: a configuration kept in a file, such as
 * /etc/ixdp.conf applied at boot.  Each line is an ix command line,
 * "ix" in front optional:
 *
 *	# reserve CPU 1 and give it eth0's first two queue pairs
 *	cpus 1
 *	attach eth0 queues 0-1 cpus 1 addr 198.18.0.10/24 batch 32
 *
 * Only cpus (with a list), attach and detach may appear.  Blank lines
 * are skipped, a word that starts with # starts a comment, and a value
 * may be quoted with "" or '' (cpus "" releases every CPU).
 *
 * Every line is checked, each against the lines before it, before the
 * first is applied, so that a mistake anywhere in the file leaves the
 * system as it was.  What the kernel alone can refuse (a queue the
 * device lacks, an offline CPU) stops the file at that line.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ix.h"

#define WORDS_MAX	32	/* more than attach takes with every keyword */

struct ix_line {
	unsigned int no;	/* in the file, from 1 */
	int argc;
	char *argv[WORDS_MAX + 1];
	char *text;		/* the words point into it */
};

/* Split @l->text into words in place; -1 (said) if it cannot be. */
static int split(struct ix_line *l)
{
	char *p = l->text, *word;
	char quote;

	l->argc = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '#')
			break;
		if (l->argc == WORDS_MAX) {
			say("more than %d words\n", WORDS_MAX);
			return -1;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p++;
			word = p;
			p = strchr(p, quote);
			if (!p) {
				say("no closing %c\n", quote);
				return -1;
			}
			*p++ = '\0';
			if (*p && !strchr(" \t\r\n", *p)) {
				say("a closing %c must end the word\n", quote);
				return -1;
			}
		} else {
			word = p;
			p += strcspn(p, " \t\r\n");
		}
		l->argv[l->argc++] = word;
		if (*p)
			*p++ = '\0';
	}
	l->argv[l->argc] = NULL;
	return 0;
}

/* Check one line against the system and the lines before it (@plan). */
static int check_line(int argc, char **argv, struct ix_plan *plan)
{
	if (!strcmp(argv[0], "cpus")) {
		if (argc != 2) {
			say("cpus takes one CPU list here (\"\" releases all)\n");
			return 2;
		}
		if (cpus_check(argv[1]) || cpus_kept(argv[1], plan))
			return 1;
		plan->cpus = argv[1];
		return 0;
	}
	if (!strcmp(argv[0], "attach"))
		return attach_check(argc, argv, plan);
	if (!strcmp(argv[0], "detach"))
		return detach_check(argc, argv, plan);
	say("'%s' does not configure anything: use cpus, attach or detach\n",
	    argv[0]);
	return 2;
}

static int run_line(int argc, char **argv)
{
	if (!strcmp(argv[0], "cpus"))
		return cmd_cpus(argc, argv);
	if (!strcmp(argv[0], "attach"))
		return cmd_attach(argc, argv);
	return cmd_detach(argc, argv);
}

/*
 * Read and split @file's lines into @lines, blank ones too: how many, or
 * -1 if the file cannot be read.  *@bad is set if a line cannot be split.
 */
static int read_lines(const char *file, struct ix_line **lines, int *bad,
		      char *at, size_t atlen)
{
	struct ix_line *l, *all = NULL;
	char *text = NULL;
	size_t len = 0;
	int n = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		say("%s: %s\n", file, strerror(errno));
		return -1;
	}
	while (getline(&text, &len, f) >= 0) {
		l = realloc(all, (n + 1) * sizeof(*all));
		if (!l) {
			say("%s: out of memory\n", file);
			*bad = 1;
			break;
		}
		all = l;
		l = &all[n++];
		l->no = n;
		l->text = text;
		text = NULL;
		len = 0;
		snprintf(at, atlen, "%s:%u", file, l->no);
		where = at;
		if (split(l))
			*bad = 1;
		else if (l->argc && !strcmp(l->argv[0], "ix"))
			memmove(l->argv, l->argv + 1,
				l->argc-- * sizeof(l->argv[0]));
		where = prog;
	}
	free(text);
	fclose(f);
	*lines = all;
	return n;
}

int cmd_apply(int argc, char **argv)
{
	struct ix_plan plan = { 0 };
	int n, i, bad = 0, check = 0;
	struct ix_line *lines;
	const char *file;
	char at[300];

	if (argc == 3 && !strcmp(argv[1], "--check")) {
		check = 1;
	} else if (argc != 2) {
		say("apply takes [--check] FILE\n");
		return 2;
	}
	file = argv[argc - 1];
	n = read_lines(file, &lines, &bad, at, sizeof(at));
	if (n < 0)
		return 1;
	for (i = 0; i < n && !bad; i++) {
		if (!lines[i].argc)
			continue;
		snprintf(at, sizeof(at), "%s:%u", file, lines[i].no);
		where = at;
		if (check_line(lines[i].argc, lines[i].argv, &plan))
			bad = 1;
		where = prog;
	}
	if (bad)
		say("%s refused; nothing applied\n", file);
	for (i = 0; i < n && !bad && !check; i++) {
		if (!lines[i].argc)
			continue;
		snprintf(at, sizeof(at), "%s:%u", file, lines[i].no);
		where = at;
		bad = run_line(lines[i].argc, lines[i].argv) != 0;
		where = prog;
		if (bad)
			say("%s stopped at line %u; the lines before it stay applied\n",
			    file, lines[i].no);
	}
	for (i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
	return bad;
}
