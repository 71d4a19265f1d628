module trtclivegenerated

go 1.19
