// SPDX-License-Identifier: GPL-2.0
/*
 * ixinsn SOCK read|reset: ask the libixinsn.so plugin of a running QEMU
 * for its guest instruction counts, or zero them.  The answer goes to
 * stdout as the plugin sends it; the exit status is 1 if it is an
 * error or the socket cannot be reached.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char cmd[16], buf[4096];
	int fd, len, bad = 0;
	ssize_t r;

	if (argc != 3 || (strcmp(argv[2], "read") && strcmp(argv[2], "reset") &&
			  strcmp(argv[2], "profile") &&
			  strcmp(argv[2], "profile-reset")) ||
	    strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: ixinsn SOCK read|reset|profile|profile-reset\n");
		return 2;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror(argv[1]);
		return 1;
	}
	len = snprintf(cmd, sizeof(cmd), "%s\n", argv[2]);
	if (write(fd, cmd, len) != len || shutdown(fd, SHUT_WR)) {
		perror("ixinsn: send");
		return 1;
	}
	/* The plugin answers, then closes once it sees our end. */
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (!strncmp(buf, "error", 5))
			bad = 1;
		fwrite(buf, 1, r, stdout);
	}
	if (r < 0) {
		perror("ixinsn: receive");
		return 1;
	}
	return bad;
}
