module embox.local/goprog

go 1.19
