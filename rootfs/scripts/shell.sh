# Busybox shell features and applets; deterministic output (run by the
# tests under load_app and natively, see scripts/record-busybox-golden.mjs).
d=/tmp/bbtest.$$
rm -rf $d; mkdir -p $d; cd $d || exit 9
for i in 1 2 3 4 5; do echo "line $i" >> f.txt; done
cat f.txt | grep 3
sed 's/line/LINE/' f.txt | head -2
awk '{ n += $2 } END { print "sum", n }' f.txt
sort -r f.txt | head -1
wc -l < f.txt
(cd /tmp && pwd)
x=$(echo sub | tr a-z A-Z); echo "subst $x"
mkdir -p a/b; echo deep > a/b/c.txt
find a | sort
tar cf t.tar a f.txt; tar tf t.tar | sort
gzip -c f.txt > f.gz; gzip -dc f.gz | md5sum
md5sum f.txt a/b/c.txt
echo to stderr >&2
ls a/b; ls -d a
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; echo "i=$i"
case foo in f*) echo matched;; *) echo no;; esac
date -u -d @86400 +%Y-%m-%d
sleep 0.05; echo slept
{ echo grouped; echo lines; } | wc -l
echo "exit of false: $(false; echo $?)"
test -d a && echo "a is a dir"
printf '%s-%d\n' x 42
cd /; rm -rf $d
exit 4
