// SPDX-License-Identifier: GPL-2.0
/*
 * The host console: kernel messages go to the host's print (the log);
 * /dev/console and /dev/ttyW0 are a tty whose output goes to console_write
 * (the terminal) and whose input the host queues on WASM_IRQ_CONSOLE;
 * /dev/ttyW1 writes to the host's error stream.
 */
#include <linux/console.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <asm/host_ops.h>

/*
 * Two lines: ttyW0 is the console (the host's terminal output and input),
 * ttyW1 the host's error stream (what programs write to stderr).
 */
#define HOST_TTY_LINES 2
static struct tty_driver *host_tty_driver;
static struct tty_port host_tty_ports[HOST_TTY_LINES];
#define host_tty_port host_tty_ports[0]

static void host_console_write(struct console *con, const char *s, unsigned int n)
{
	wasm_host_print(s, n);
}

static struct tty_driver *host_console_device(struct console *c, int *index)
{
	*index = c->index;
	return host_tty_driver;
}

static struct console host_console = {
	.name	= "ttyW",
	.write	= host_console_write,
	.device	= host_console_device,
	.flags	= CON_PRINTBUFFER | CON_ANYTIME,
	.index	= 0,
};

static int __init host_console_init(void)
{
	register_console(&host_console);
	return 0;
}
console_initcall(host_console_init);

static int host_tty_open(struct tty_struct *tty, struct file *filp)
{
	return tty_port_open(&host_tty_ports[tty->index], tty, filp);
}

static void host_tty_close(struct tty_struct *tty, struct file *filp)
{
	tty_port_close(&host_tty_ports[tty->index], tty, filp);
}

static int host_tty_write(struct tty_struct *tty, const unsigned char *buf, int n)
{
	wasm_host_console_write(tty->index, (const char *)buf, n);
	return n;
}

static unsigned int host_tty_write_room(struct tty_struct *tty)
{
	return 65536;
}

static const struct tty_operations host_tty_ops = {
	.open		= host_tty_open,
	.close		= host_tty_close,
	.write		= host_tty_write,
	.write_room	= host_tty_write_room,
};

static const struct tty_port_operations host_port_ops = {
};

static irqreturn_t host_console_irq(int irq, void *dev)
{
	char buf[256];
	int n;

	while ((n = wasm_host_console_read(buf, sizeof(buf))) > 0)
		tty_insert_flip_string(&host_tty_port, buf, n);
	tty_flip_buffer_push(&host_tty_port);
	return IRQ_HANDLED;
}

static int __init host_tty_init(void)
{
	struct tty_driver *d;
	int err, i;

	/* No TTY_DRIVER_RESET_TERMIOS: the modes the host sets stay when the last user closes a line. */
	d = tty_alloc_driver(HOST_TTY_LINES, TTY_DRIVER_REAL_RAW);
	if (IS_ERR(d))
		return PTR_ERR(d);
	d->driver_name = "host";
	d->name = "ttyW";
	d->major = TTY_MAJOR;
	d->minor_start = 64 + 16;
	d->type = TTY_DRIVER_TYPE_SERIAL;
	d->subtype = SERIAL_TYPE_NORMAL;
	d->init_termios = tty_std_termios;
	tty_set_operations(d, &host_tty_ops);
	for (i = 0; i < HOST_TTY_LINES; i++) {
		tty_port_init(&host_tty_ports[i]);
		host_tty_ports[i].ops = &host_port_ops;
		tty_port_link_device(&host_tty_ports[i], d, i);
	}
	err = tty_register_driver(d);
	if (err) {
		tty_driver_kref_put(d);
		return err;
	}
	host_tty_driver = d;
	return request_irq(WASM_IRQ_CONSOLE, host_console_irq, 0, "console", NULL);
}
device_initcall(host_tty_init);
