// SPDX-License-Identifier: GPL-2.0
/*
 * Host block devices: /dev/vda, /dev/vdb, ... Requests are served
 * synchronously by the host's backend (asm/host_ops.h blk_*). The device
 * has a volatile write cache (the host may hold writes back): a write with
 * FUA and every flush reach the backing store before the request completes.
 *
 * Nothing is probed at boot: the host attaches its disks when it has them
 * (__NR_wasm_blk_attach, wasm_blk_attach() below), so a kernel booted
 * without a disk, or restored from a snapshot of one, takes a disk later
 * as a hotplugged one.
 */
#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/capability.h>
#include <linux/mutex.h>
#include <asm/host_ops.h>

#define HOST_BLK_MAX	8

struct host_blk {
	int id;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
};

static int host_blk_major;
static struct host_blk host_blks[HOST_BLK_MAX];
/* Disks attached so far (host ids 0 .. host_blk_nr - 1). */
static int host_blk_nr;
static DEFINE_MUTEX(host_blk_lock);

/* One host call per run of segments that are contiguous in memory. */
static blk_status_t host_blk_rw(struct host_blk *hb, struct request *rq)
{
	struct req_iterator iter;
	struct bio_vec bvec;
	unsigned long long off = (unsigned long long)blk_rq_pos(rq) << SECTOR_SHIFT;
	bool write = rq_data_dir(rq) == WRITE;
	char *run = NULL;
	unsigned long len = 0;

	rq_for_each_segment(bvec, rq, iter) {
		char *buf = (char *)page_address(bvec.bv_page) + bvec.bv_offset;

		if (run && buf == run + len) {
			len += bvec.bv_len;
			continue;
		}
		if (run && (write ? wasm_host_blk_write(hb->id, run, off, len)
				  : wasm_host_blk_read(hb->id, run, off, len)))
			return BLK_STS_IOERR;
		off += len;
		run = buf;
		len = bvec.bv_len;
	}
	if (run && (write ? wasm_host_blk_write(hb->id, run, off, len)
			  : wasm_host_blk_read(hb->id, run, off, len)))
		return BLK_STS_IOERR;
	if (write && (rq->cmd_flags & REQ_FUA) && wasm_host_blk_flush(hb->id))
		return BLK_STS_IOERR;
	return BLK_STS_OK;
}

static blk_status_t host_blk_queue_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	struct host_blk *hb = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	blk_status_t st;

	blk_mq_start_request(rq);
	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		st = host_blk_rw(hb, rq);
		break;
	case REQ_OP_FLUSH:
		st = wasm_host_blk_flush(hb->id) ? BLK_STS_IOERR : BLK_STS_OK;
		break;
	default:
		st = BLK_STS_NOTSUPP;
	}
	blk_mq_end_request(rq, st);
	return BLK_STS_OK;
}

static const struct blk_mq_ops host_blk_mq_ops = {
	.queue_rq = host_blk_queue_rq,
};

static const struct block_device_operations host_blk_fops = {
	.owner = THIS_MODULE,
};

static int host_blk_add(int id)
{
	struct host_blk *hb = &host_blks[id];
	struct gendisk *disk;
	int err;

	hb->id = id;
	hb->tag_set.ops = &host_blk_mq_ops;
	hb->tag_set.nr_hw_queues = 1;
	hb->tag_set.queue_depth = 16;
	hb->tag_set.numa_node = NUMA_NO_NODE;
	hb->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	err = blk_mq_alloc_tag_set(&hb->tag_set);
	if (err)
		return err;
	disk = blk_mq_alloc_disk(&hb->tag_set, hb);
	if (IS_ERR(disk)) {
		blk_mq_free_tag_set(&hb->tag_set);
		return PTR_ERR(disk);
	}
	disk->major = host_blk_major;
	disk->first_minor = id * 16;
	disk->minors = 16;
	disk->fops = &host_blk_fops;
	disk->private_data = hb;
	snprintf(disk->disk_name, DISK_NAME_LEN, "vd%c", 'a' + id);
	blk_queue_logical_block_size(disk->queue, 512);
	blk_queue_physical_block_size(disk->queue, 4096);
	blk_queue_write_cache(disk->queue, true, true);
	/* Large requests: each contiguous run is one host call. */
	blk_queue_max_hw_sectors(disk->queue, 2048);
	blk_queue_max_segments(disk->queue, 256);
	set_capacity(disk, wasm_host_blk_capacity(id) >> SECTOR_SHIFT);
	err = add_disk(disk);
	if (err) {
		put_disk(disk);
		blk_mq_free_tag_set(&hb->tag_set);
		return err;
	}
	hb->disk = disk;
	return 0;
}

/*
 * The host's disks not attached yet (ids host_blk_nr up to blk_count), each
 * added as a disk is at boot: its /dev node, its partitions scanned. The
 * host's own call, made once it has given the kernel its disks. Returns how
 * many disks the kernel has, or -errno when one could not be added (those
 * before it stay).
 */
long wasm_blk_attach(void)
{
	long ret = 0;
	int n;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&host_blk_lock);
	n = min(wasm_host_blk_count(), HOST_BLK_MAX);
	if (n > host_blk_nr && !host_blk_major) {
		ret = register_blkdev(0, "vd");
		if (ret < 0)
			goto out;
		host_blk_major = ret;
		ret = 0;
	}
	while (host_blk_nr < n) {
		ret = host_blk_add(host_blk_nr);
		if (ret) {
			pr_err("vd%c: cannot add host block device\n", 'a' + host_blk_nr);
			goto out;
		}
		host_blk_nr++;
	}
	ret = host_blk_nr;
out:
	mutex_unlock(&host_blk_lock);
	return ret;
}
