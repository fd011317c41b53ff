# tmpfs limits: a size (half of the memory unless given), ENOSPC past it, df and st_blocks, remount.
d=/tmp/bbtmpfs.$$
mkdir -p $d && mount -t tmpfs -o nosuid,nodev tmpfs $d || exit 9
at() { sed "s|$d|DIR|g"; }
grep " $d " /proc/mounts | at
stat -f -c '%T %S' $d
mem=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
df -k $d | awk -v m=$mem 'NR == 2 { print "size is half of MemTotal:", $2 == int(m / 4 / 2) * 4 ? "yes" : "no, " $2 " of " m }'
head -c 10000 /dev/zero > $d/f; du -k $d/f | cut -f1
mount -o remount,size=1M $d; grep " $d " /proc/mounts | at
dd if=/dev/zero of=$d/fill bs=64k 2>&1 | at
df -k $d | awk 'NR == 2 { print $2, $3, $4, $5 }'
mount -o remount,size=100k $d 2>&1 | at
rm $d/fill; df -k $d | awk 'NR == 2 { print $2, $3, $4, $5 }'
echo still writable > $d/f; cat $d/f
mount -o remount,size=0 $d; grep " $d " /proc/mounts | at
df -k $d | awk 'NR == 2 { print $2, $3, $4, $5 }'
umount $d && rmdir $d && echo unmounted
