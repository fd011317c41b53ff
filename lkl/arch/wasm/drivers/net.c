// SPDX-License-Identifier: GPL-2.0
/*
 * Host network devices: eth0, eth1, ... Frames go to the host with
 * net_send and come from it with net_recv (asm/host_ops.h); the host raises
 * WASM_IRQ_NET when it has frames, and NAPI takes them in the softirq.
 *
 * The link is memory to memory and lossless, so the device claims what a
 * good NIC would: checksums need not be computed on either side (received
 * frames are CHECKSUM_UNNECESSARY, sent ones may be CHECKSUM_PARTIAL), and
 * with TSO the kernel hands over TCP segments of up to 64 KiB in one frame,
 * one host call instead of 45.
 */
#include <linux/module.h>
#include <linux/init.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/skbuff.h>
#include <asm/host_ops.h>
#include <asm/irq.h>

#define HOST_NET_MAX	4

struct host_net {
	int id;
	struct net_device *dev;
	struct napi_struct napi;
};

static struct host_net *host_nets[HOST_NET_MAX];
static int host_net_count;

static netdev_tx_t host_net_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct host_net *hn = netdev_priv(dev);

	/* The host takes one contiguous frame. */
	if (skb_linearize(skb)) {
		dev->stats.tx_dropped++;
		goto out;
	}
	if (wasm_host_net_send(hn->id, skb->data, skb->len)) {
		dev->stats.tx_dropped++;
		goto out;
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
out:
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static int host_net_poll(struct napi_struct *napi, int budget)
{
	struct host_net *hn = container_of(napi, struct host_net, napi);
	struct net_device *dev = hn->dev;
	int done = 0;

	while (done < budget) {
		int len = wasm_host_net_recv(hn->id, NULL, 0);
		struct sk_buff *skb;

		if (len <= 0)
			break;
		skb = napi_alloc_skb(napi, len);
		if (!skb) {
			/* Drop it (n < 0) rather than stall the queue behind it. */
			wasm_host_net_recv(hn->id, NULL, -1);
			dev->stats.rx_dropped++;
			continue;
		}
		if (wasm_host_net_recv(hn->id, skb_put(skb, len), len) != len) {
			kfree_skb(skb);
			dev->stats.rx_errors++;
			continue;
		}
		skb->protocol = eth_type_trans(skb, dev);
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += len;
		napi_gro_receive(napi, skb);
		done++;
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static int host_net_open(struct net_device *dev)
{
	struct host_net *hn = netdev_priv(dev);

	napi_enable(&hn->napi);
	netif_carrier_on(dev);
	netif_start_queue(dev);
	/* Frames may have arrived while it was down. */
	napi_schedule(&hn->napi);
	return 0;
}

static int host_net_stop(struct net_device *dev)
{
	struct host_net *hn = netdev_priv(dev);

	netif_stop_queue(dev);
	netif_carrier_off(dev);
	napi_disable(&hn->napi);
	return 0;
}

static const struct net_device_ops host_net_ops = {
	.ndo_open = host_net_open,
	.ndo_stop = host_net_stop,
	.ndo_start_xmit = host_net_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static irqreturn_t host_net_irq(int irq, void *data)
{
	int i;

	for (i = 0; i < host_net_count; i++)
		if (netif_running(host_nets[i]->dev))
			napi_schedule(&host_nets[i]->napi);
	return IRQ_HANDLED;
}

static int __init host_net_add(int id)
{
	struct net_device *dev;
	struct host_net *hn;
	u8 mac[ETH_ALEN];
	int err;

	dev = alloc_etherdev(sizeof(*hn));
	if (!dev)
		return -ENOMEM;
	hn = netdev_priv(dev);
	hn->id = id;
	hn->dev = dev;
	wasm_host_net_mac(id, mac);
	eth_hw_addr_set(dev, mac);
	dev->netdev_ops = &host_net_ops;
	dev->hw_features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_TSO;
	dev->features = dev->hw_features;
	netif_napi_add(dev, &hn->napi, host_net_poll);
	err = register_netdev(dev);
	if (err) {
		netif_napi_del(&hn->napi);
		free_netdev(dev);
		return err;
	}
	host_nets[host_net_count++] = hn;
	return 0;
}

static int __init host_net_init(void)
{
	int i, n = wasm_host_net_count();

	for (i = 0; i < n && i < HOST_NET_MAX; i++)
		if (host_net_add(i))
			pr_err("eth%d: cannot add host network device\n", i);
	if (host_net_count)
		return request_irq(WASM_IRQ_NET, host_net_irq, 0, "net", NULL);
	return 0;
}
device_initcall(host_net_init);
