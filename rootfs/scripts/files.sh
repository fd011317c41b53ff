# File applets on a scratch directory: seeks, sizes, links, modes, tees.
d=/tmp/bbfiles.$$
rm -rf $d; mkdir -p $d; cd $d || exit 9
seq 1 100 > n.txt
tail -n 3 n.txt
head -c 12 n.txt | od -c | head -2
dd if=n.txt of=part bs=10 skip=5 count=2 2>/dev/null; cat part; echo
cut -c1-1 n.txt | sort | uniq -c | head -3
echo tee-line | tee t1 t2 >/dev/null; cat t1 t2
ln -s n.txt link; readlink link; ls -l link | cut -c1-10
ln n.txt hard; stat -c '%h %s' n.txt
chmod 640 t1; stat -c '%a %s' t1
touch -d '2001-02-03 04:05:06' t2; date -r t2 -u +%Y-%m-%dT%H:%M:%S 2>/dev/null || stat -c %y t2 | cut -c1-19
printf 'b\na\nc\n' | xargs echo
wc -c < n.txt
find . -type l
mv t1 moved; ls
cmp n.txt hard && echo same
echo ok > /dev/null; [ -c /dev/null ] && echo null-is-chr
cd /; rm -rf $d
